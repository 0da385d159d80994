// The configuration a simulated device starts with when its spec gives
// none: a small but real edge router (loopback, two links, OSPF, an iBGP
// group towards a route reflector, an export policy, a protect filter).

import { SIM_JUNOS_VERSION } from './junos-release.js';

/** Device number `index` (0-based) gets distinct addresses, so several devices never look alike. */
export function defaultConfig(name: string, index = 0): string {
  const n = index + 1;
  return `version ${SIM_JUNOS_VERSION};
system {
    host-name ${name};
    root-authentication {
        encrypted-password "$6$sim$8mM0yV1kZ9sV3Q1l4pYJq0"; ## SECRET-DATA
    }
    services {
        ssh {
            root-login allow;
        }
        netconf {
            ssh;
        }
    }
    syslog {
        file messages {
            any notice;
            authorization info;
        }
    }
}
interfaces {
    ge-0/0/0 {
        description "to core";
        unit 0 {
            family inet {
                address 192.0.2.${n}/31;
            }
            family iso;
            family mpls;
        }
    }
    ge-0/0/1 {
        unit 0 {
            family inet {
                address 198.51.100.${n}/24;
            }
        }
    }
    lo0 {
        unit 0 {
            family inet {
                filter {
                    input PROTECT-RE;
                }
                address 10.255.0.${n}/32;
            }
        }
    }
}
routing-options {
    router-id 10.255.0.${n};
    autonomous-system 64512;
}
protocols {
    bgp {
        group rr {
            type internal;
            local-address 10.255.0.${n};
            family inet {
                unicast;
            }
            export NEXT-HOP-SELF;
            neighbor 10.255.0.254 {
                description "route reflector";
            }
        }
    }
    ospf {
        area 0.0.0.0 {
            interface ge-0/0/0.0 {
                interface-type p2p;
            }
            interface lo0.0 {
                passive;
            }
        }
    }
    lldp {
        interface all;
    }
}
policy-options {
    policy-statement NEXT-HOP-SELF {
        term self {
            then next-hop self;
        }
    }
}
firewall {
    family inet {
        filter PROTECT-RE {
            term ssh {
                from {
                    protocol tcp;
                    destination-port [ ssh 830 ];
                }
                then accept;
            }
            term bgp {
                from {
                    protocol tcp;
                    port bgp;
                }
                then accept;
            }
            term rest {
                then accept;
            }
        }
    }
}
`;
}
