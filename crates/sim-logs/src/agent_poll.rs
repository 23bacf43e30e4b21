//! One poll of the node logging agent, as micro-steps over the node.
//!
//! Contract: [`plan`] lists, in path order, the new `*.log` files the agent
//! starts following and the rotated files it never opened (missed), then a
//! read of everything followed. Applying that read plans, per followed
//! inode, a ship when the file has grown past the saved offset and a release
//! when the file no longer has a `*.log` name; a release waits until the
//! file is drained. A stopped agent plans nothing; stopping closes every
//! followed file but keeps the offsets, starting again reopens the files
//! that still exist and forgets the others. [`plan`] changes nothing;
//! [`apply`] applies one step.

use crate::agent::{matches_glob, ShippedRecord, WATCHED_DIR};
use crate::facts::LogsFact;
use crate::node::{Applied, Node};

/// One micro-step of an agent poll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    Missed {
        path: String,
        lineage: u64,
    },
    Discover {
        path: String,
    },
    ReadAll,
    Ship(u64),
    Release(u64),
    /// The agent stops (an input).
    Stop,
    /// The agent starts again (an input).
    Start,
}

/// The steps of one poll (see the module docs); none without a running agent.
pub(crate) fn plan(node: &Node) -> Vec<Step> {
    let Some(agent) = node.agent.as_ref().filter(|a| !a.stopped) else {
        return Vec::new();
    };
    let mut plan = Vec::new();
    for (path, ino, inode) in node.fs.files_under(WATCHED_DIR) {
        if matches_glob(path) {
            if !agent.following.contains_key(&ino) {
                plan.push(Step::Discover {
                    path: path.to_string(),
                });
            }
        } else if !agent.knows(inode.lineage) {
            plan.push(Step::Missed {
                path: path.to_string(),
                lineage: inode.lineage,
            });
        }
    }
    plan.push(Step::ReadAll);
    plan
}

/// Applies one step (see the module docs).
pub(crate) fn apply(node: &mut Node, step: Step) -> Applied<Step> {
    let fact = match step {
        Step::ReadAll => {
            return Applied {
                fact: None,
                next: read_all(node),
            }
        }
        Step::Missed { path, lineage } => missed(node, path, lineage),
        Step::Discover { path } => discover(node, path),
        Step::Ship(ino) => ship(node, ino),
        Step::Release(ino) => release(node, ino),
        Step::Stop => stop(node),
        Step::Start => start(node),
    };
    fact.map_or_else(Applied::default, Applied::fact)
}

/// A ship for every followed inode that has grown, a release for every one
/// that lost its `*.log` name.
fn read_all(node: &Node) -> Vec<Step> {
    let Some(agent) = &node.agent else {
        return Vec::new();
    };
    let mut plan = Vec::new();
    for (ino, tail) in &agent.following {
        let size = node.fs.inode(*ino).map_or(0, |f| f.size);
        if tail.offset < size {
            plan.push(Step::Ship(*ino));
        }
        if !node.fs.path_of(*ino).is_some_and(matches_glob) {
            plan.push(Step::Release(*ino));
        }
    }
    plan
}

fn missed(node: &mut Node, path: String, lineage: u64) -> Option<LogsFact> {
    let agent = node.agent.as_mut()?;
    agent.record_missed(lineage, &path);
    Some(LogsFact::AgentMissed {
        agent: agent.name.clone(),
        path,
    })
}

fn discover(node: &mut Node, path: String) -> Option<LogsFact> {
    let inode = node.fs.inode_at(&path)?;
    let lineage = node.fs.inode(inode)?.lineage;
    let agent = node.agent.as_mut()?;
    agent.follow(inode, lineage, &path);
    let agent = agent.name.clone();
    node.fs.set_held_open(inode, true);
    Some(LogsFact::AgentFollows { agent, path, inode })
}

fn ship(node: &mut Node, ino: u64) -> Option<LogsFact> {
    let path = node
        .fs
        .path_of(ino)
        .map_or_else(|| format!("(deleted inode {ino})"), str::to_string);
    let text = &node.fs.inode(ino)?.text;
    let agent = node.agent.as_mut()?;
    let read = agent.read(ino, &path, text)?;
    let shipped = read.messages.len();
    for m in read.messages {
        node.backend.push(ShippedRecord {
            shipped_by: agent.name.clone(),
            file: path.clone(),
            time: m.timestamp.rfc3339_nano(),
            stream: m.stream.as_str().into(),
            text: m.text,
        });
    }
    Some(LogsFact::AgentShipped {
        agent: agent.name.clone(),
        path,
        from: read.from,
        to: read.to,
        lines: read.lines,
        bad_lines: read.bad_lines,
        shipped,
    })
}

fn release(node: &mut Node, ino: u64) -> Option<LogsFact> {
    let size = node.fs.inode(ino).map_or(0, |f| f.size);
    let agent = node.agent.as_mut()?;
    if agent.following.get(&ino).is_some_and(|t| t.offset < size) {
        return None;
    }
    let tail = agent.release(ino)?;
    let agent = agent.name.clone();
    node.fs.set_held_open(ino, false);
    Some(LogsFact::AgentReleased {
        agent,
        path: tail.path,
        inode: ino,
        now_named: node.fs.path_of(ino).map(str::to_string),
        offset: tail.offset,
    })
}

fn stop(node: &mut Node) -> Option<LogsFact> {
    let agent = node.agent.as_mut().filter(|a| !a.stopped)?;
    agent.stopped = true;
    for ino in agent.following.keys() {
        node.fs.set_held_open(*ino, false);
    }
    Some(LogsFact::AgentStopped {
        agent: agent.name.clone(),
        closed: agent.following.len(),
    })
}

fn start(node: &mut Node) -> Option<LogsFact> {
    let agent = node.agent.as_mut().filter(|a| a.stopped)?;
    agent.stopped = false;
    let gone: Vec<u64> = agent
        .following
        .keys()
        .copied()
        .filter(|ino| node.fs.inode(*ino).is_none())
        .collect();
    for ino in &gone {
        agent.release(*ino);
    }
    for ino in agent.following.keys() {
        node.fs.set_held_open(*ino, true);
    }
    Some(LogsFact::AgentStarted {
        agent: agent.name.clone(),
        resumed: agent.following.len(),
        lost: gone.len(),
    })
}
