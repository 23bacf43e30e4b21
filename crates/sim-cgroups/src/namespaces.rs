//! Namespaces: `unshare` giving a process new UTS, IPC and network
//! namespaces, the hostname of a UTS namespace, and the network devices of a
//! network namespace.
//!
//! Contract: a new UTS namespace starts with its creator's hostname and a
//! name set in it is seen only there; a new network namespace has only `lo`,
//! down. PID, mount, user and cgroup namespaces are never unshared.

use crate::fact::{link_lines, CgroupFact};
use crate::process::Namespace;
use crate::program::Unshare;
use crate::system::System;

/// Gives process `pid` the new namespaces `unshare` asks for.
pub fn unshare(system: &mut System, pid: u32, unshare: Unshare) -> Option<CgroupFact> {
    let mut fresh = || {
        let n = system.next_namespace;
        system.next_namespace = system.next_namespace.saturating_add(1);
        Namespace::New(n)
    };
    let uts = unshare.uts.then(&mut fresh);
    let ipc = unshare.ipc.then(&mut fresh);
    let net = unshare.net.then(&mut fresh);
    let process = system.processes.get_mut(&pid)?;
    let inherited_hostname = system.hostnames.get(&process.namespaces.uts).cloned();
    if let Some(ns) = uts {
        process.namespaces.uts = ns;
    }
    if let Some(ns) = ipc {
        process.namespaces.ipc = ns;
    }
    if let Some(ns) = net {
        process.namespaces.net = ns;
    }
    if let (Some(ns), Some(name)) = (uts, inherited_hostname) {
        system.hostnames.insert(ns, name);
    }
    Some(CgroupFact::Unshared { pid, unshare })
}

/// `hostname` in UTS namespace `uts`: the fact and what the terminal shows.
pub fn hostname(system: &System, uts: Namespace) -> (CgroupFact, Vec<String>) {
    let name = system.hostnames.get(&uts).cloned().unwrap_or_default();
    (CgroupFact::Hostname { name: name.clone() }, vec![name])
}

/// `hostname NAME` in UTS namespace `uts`.
pub fn set_hostname(system: &mut System, uts: Namespace, name: String) -> CgroupFact {
    system.hostnames.insert(uts, name.clone());
    let host = (uts != Namespace::Host).then(|| {
        system
            .hostnames
            .get(&Namespace::Host)
            .cloned()
            .unwrap_or_default()
    });
    CgroupFact::HostnameSet { name, host }
}

/// `ip link` in network namespace `net`: the fact and what the terminal shows.
pub fn links(net: Namespace) -> (CgroupFact, Vec<String>) {
    let own_namespace = net != Namespace::Host;
    (
        CgroupFact::Links { own_namespace },
        link_lines(own_namespace),
    )
}
