//! Namespaces: `unshare` giving a process new UTS, IPC and network
//! namespaces, the hostname of a UTS namespace, and the network devices of a
//! network namespace.
//!
//! Contract: a new UTS namespace starts with its creator's hostname and a
//! name set in it is seen only there; a new network namespace has only `lo`,
//! down. PID, mount, user and cgroup namespaces are never unshared.

use crate::op::{note, Note};
use crate::process::Namespace;
use crate::program::Unshare;
use crate::rules;
use crate::system::System;

/// Gives process `pid` the new namespaces `unshare` asks for.
pub fn unshare(system: &mut System, pid: u32, unshare: Unshare) -> Option<Note> {
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
    let mut new = Vec::new();
    if unshare.uts {
        new.push("uts (own hostname)");
    }
    if unshare.ipc {
        new.push("ipc (own System V IPC)");
    }
    if unshare.net {
        new.push("net (only lo, down)");
    }
    Some(note(
        format!("pid {pid}"),
        "unshared",
        format!(
            "pid {pid} gets new namespaces: {}; pid, mnt, user and cgroup stay the host's",
            new.join(", ")
        ),
        rules::UNSHARE,
    ))
}

/// `hostname` in UTS namespace `uts`: the note and what the terminal shows.
pub fn hostname(system: &System, uts: Namespace) -> (Note, Vec<String>) {
    let current = system.hostnames.get(&uts).cloned().unwrap_or_default();
    (
        note("shell", "output", current.clone(), rules::UTS_HOSTNAME),
        vec![current],
    )
}

/// `hostname NAME` in UTS namespace `uts`.
pub fn set_hostname(system: &mut System, uts: Namespace, name: String) -> Note {
    system.hostnames.insert(uts, name.clone());
    let host = system
        .hostnames
        .get(&Namespace::Host)
        .cloned()
        .unwrap_or_default();
    let detail = if uts == Namespace::Host {
        format!("the host's hostname becomes {name}")
    } else {
        format!("hostname becomes {name} in this UTS namespace only; the host is still {host}")
    };
    note("hostname", "set", detail, rules::UTS_HOSTNAME)
}

/// `ip link` in network namespace `net`: the note and what the terminal shows.
pub fn links(net: Namespace) -> (Note, Vec<String>) {
    let lines = if net == Namespace::Host {
        vec![
            "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 state UNKNOWN".to_string(),
            "2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 state UP".to_string(),
        ]
    } else {
        vec!["1: lo: <LOOPBACK> mtu 65536 state DOWN".to_string()]
    };
    let detail = lines.join(" / ");
    (note("shell", "output", detail, rules::NET_DEVICES), lines)
}
