// The Junos release the simulator claims to run, and the XML namespaces
// derived from it (replies carry xmlns:junos; operational XML such as
// <bgp-information> carries a default namespace per software module, as on
// a router, so clients' XPath must be namespace-aware or use local-name()).

export const SIM_JUNOS_VERSION = '21.4R3.15';
export const SIM_MODEL = 'vmx';

/** `21.4R3.15` → `21.4R3`, as the namespaces spell it. */
const RELEASE = SIM_JUNOS_VERSION.replace(/\.\d+$/, '');

export const JUNOS_NS = `http://xml.juniper.net/junos/${RELEASE}/junos`;

/** `junos-routing`, `junos-interface`… */
export function moduleNamespace(module: string): string {
  return `http://xml.juniper.net/junos/${RELEASE}/${module}`;
}
