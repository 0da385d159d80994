#!/usr/bin/python3
"""Drives a simulated Junos device with ncclient's Junos device handler, the
way a careful automation script would: connect (host key checked against
the simulator's known_hosts), lock, load a text merge, compare against
rollback 0, commit check, commit confirmed, unlock, run operational
commands, close. Prints what it saw as one JSON object for the test
(test/integration/junos-sim/sim-ncclient.test.ts) to assert on.

Run with Debian's python3-ncclient: /usr/bin/python3 ncclient-session.py
  --ssh-config FILE --host NAME --port N --config-text TEXT --confirm-minutes M --log TEXT
"""

import argparse
import json
import sys

from lxml import etree
from ncclient import manager
from ncclient.operations.rpc import RaiseMode


def elements(reply):
    """Every element of a reply by local name: the standard operations give an RPCReply (.xml), the
    Junos handler's own ones an NCElement (str() is its XML), and Junos puts op output in its own
    namespaces."""
    text = reply.xml if hasattr(reply, 'xml') else str(reply)
    root = etree.fromstring(text.encode())
    return [(etree.QName(e).localname, (e.text or '').strip()) for e in root.iter() if isinstance(e.tag, str)]


def local(reply, name):
    return [t for n, t in elements(reply) if n == name]


def names(reply, prefix):
    return [n for n, _ in elements(reply) if n.startswith(prefix)]


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--ssh-config', required=True)
    p.add_argument('--host', required=True)
    p.add_argument('--port', type=int, required=True)
    p.add_argument('--config-text', required=True)
    p.add_argument('--confirm-minutes', type=int, required=True)
    p.add_argument('--log', required=True)
    a = p.parse_args()

    seen = {}
    with manager.connect(
        host=a.host,
        port=a.port,
        ssh_config=a.ssh_config,
        hostkey_verify=True,
        allow_agent=False,
        look_for_keys=False,
        device_params={'name': 'junos'},
        timeout=60,
    ) as m:
        # Warnings are reported, not raised: only errors stop the script.
        m.raise_mode = RaiseMode.ERRORS
        seen['session_id'] = m.session_id
        seen['capabilities'] = sorted(m.server_capabilities)
        m.lock()
        loaded = m.load_configuration(action='merge', format='text', config=a.config_text)
        seen['load_ok'] = 'ok' in names(loaded, 'ok') and not names(loaded, 'rpc-error')
        diff = m.compare_configuration(rollback=0)
        seen['diff'] = local(diff, 'configuration-output')[0]
        check = m.commit(check=True)
        seen['check'] = local(check, 'name') + names(check, 'commit-')
        # ncclient takes seconds and sends <confirm-timeout> in minutes, as <commit-configuration> wants.
        committed = m.commit(confirmed=True, timeout=str(a.confirm_minutes * 60), comment=a.log)
        seen['commit'] = names(committed, 'commit-success')
        m.unlock()
        bgp = m.command('show bgp summary', format='xml')
        seen['bgp_peer_states'] = local(bgp, 'peer-state')
        version = m.command('show version', format='text')
        seen['version_text'] = local(version, 'output')[0]
        commits = m.command('show system commit', format='text')
        seen['system_commit'] = local(commits, 'output')[0]
    json.dump(seen, sys.stdout)
    print()


if __name__ == '__main__':
    main()
