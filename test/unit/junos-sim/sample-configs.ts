// Configurations the Junos simulator tests load: a realistic edge router in
// the exact form `show configuration` prints (so printing it back must give
// the same text), and its `| display set` form.

export const EDGE_ROUTER = `version 21.4R3.15;
groups {
    re0 {
        system {
            host-name edge1-re0;
        }
    }
}
apply-groups re0;
system {
    host-name edge1;
    domain-name example.net;
    time-zone UTC;
    root-authentication {
        encrypted-password "$6$abc$0123456789"; ## SECRET-DATA
    }
    name-server {
        192.0.2.53;
        2001:db8::53;
    }
    login {
        /* NOC read-only accounts */
        class noc {
            permissions [ view view-configuration ];
        }
        user netops {
            uid 2001;
            class super-user;
            authentication {
                ssh-ed25519 "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyForTests netops@bastion"; ## SECRET-DATA
            }
        }
    }
    services {
        ssh {
            root-login deny;
            protocol-version v2;
        }
        netconf {
            ssh {
                port 830;
            }
            rfc-compliant;
        }
    }
    syslog {
        user * {
            any emergency;
        }
        file messages {
            any notice;
            authorization info;
        }
    }
    ntp {
        server 192.0.2.123 prefer;
        server 198.51.100.123;
    }
}
chassis {
    aggregated-devices {
        ethernet {
            device-count 4;
        }
    }
}
interfaces {
    ge-0/0/0 {
        description "core: to p1 ge-0/0/3";
        mtu 9192;
        unit 0 {
            family inet {
                address 192.0.2.0/31;
            }
            family iso;
            family mpls;
        }
    }
    ge-0/0/1 {
        description "customer ACME [circuit 42]";
        vlan-tagging;
        unit 100 {
            vlan-id 100;
            family inet {
                filter {
                    input CUSTOMER-IN;
                }
                address 198.51.100.1/30;
            }
            family inet6 {
                address 2001:db8:100::1/64;
            }
        }
        inactive: unit 200 {
            vlan-id 200;
            family inet {
                address 198.51.100.5/30;
            }
        }
    }
    ge-0/0/2 {
        disable;
    }
    lo0 {
        unit 0 {
            family inet {
                filter {
                    input PROTECT-RE;
                }
                address 10.255.0.1/32 {
                    primary;
                }
            }
            family iso {
                address 49.0001.0102.5500.0001.00;
            }
        }
    }
}
snmp {
    location "Rack 12, Paris";
    community public {
        authorization read-only;
        clients {
            192.0.2.0/24;
            0.0.0.0/0 restrict;
        }
    }
}
routing-options {
    static {
        route 0.0.0.0/0 next-hop 192.0.2.1;
        route 203.0.113.0/24 {
            discard;
            no-readvertise;
        }
    }
    router-id 10.255.0.1;
    autonomous-system 64512;
    forwarding-table {
        export LOAD-BALANCE;
    }
}
protocols {
    bgp {
        group rr {
            type internal;
            local-address 10.255.0.1;
            family inet {
                unicast {
                    add-path {
                        receive;
                        send {
                            path-count 4;
                        }
                    }
                }
            }
            export [ NEXT-HOP-SELF ANNOUNCE ];
            neighbor 10.255.0.101 {
                description rr1;
            }
            neighbor 10.255.0.102;
        }
        group transit {
            type external;
            description "transit provider";
            import TRANSIT-IN;
            family inet {
                unicast;
            }
            export ANNOUNCE;
            peer-as 64496;
            neighbor 203.0.113.1;
        }
    }
    isis {
        interface ge-0/0/0.0 {
            point-to-point;
        }
        interface lo0.0 {
            passive;
        }
    }
    ospf {
        area 0.0.0.0 {
            interface ge-0/0/0.0 {
                interface-type p2p;
                metric 10;
            }
            interface lo0.0 {
                passive;
            }
        }
    }
    lldp {
        interface all;
        interface ge-0/0/1 {
            disable;
        }
    }
}
policy-options {
    prefix-list OWN {
        203.0.113.0/24;
    }
    prefix-list MGMT {
        192.0.2.0/24;
    }
    policy-statement ANNOUNCE {
        term own {
            from {
                protocol static;
                prefix-list OWN;
            }
            then {
                community add ORIGIN;
                accept;
            }
        }
        term rest {
            then reject;
        }
    }
    policy-statement LOAD-BALANCE {
        then load-balance per-packet;
    }
    policy-statement NEXT-HOP-SELF {
        then next-hop self;
    }
    policy-statement TRANSIT-IN {
        term bogons {
            from {
                route-filter 10.0.0.0/8 orlonger;
                route-filter 192.168.0.0/16 orlonger;
            }
            then reject;
        }
        term accept {
            then {
                local-preference 90;
                accept;
            }
        }
    }
    community ORIGIN members 64512:100;
    as-path PRIVATE "^64[5-9][0-9][0-9]$";
}
firewall {
    family inet {
        filter PROTECT-RE {
            term mgmt {
                from {
                    source-prefix-list {
                        MGMT;
                    }
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
            term icmp {
                from protocol icmp;
                then {
                    policer ICMP-1M;
                    accept;
                }
            }
            term rest {
                then {
                    count dropped;
                    discard;
                }
            }
        }
        filter CUSTOMER-IN {
            term anti-spoof {
                from {
                    source-address {
                        0.0.0.0/0;
                        198.51.100.0/30 except;
                    }
                }
                then discard;
            }
            term rest {
                then accept;
            }
        }
    }
    policer ICMP-1M {
        if-exceeding {
            bandwidth-limit 1m;
            burst-size-limit 15k;
        }
        then discard;
    }
}
`;
