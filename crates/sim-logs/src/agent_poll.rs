//! One poll of the node logging agent, as micro-steps over the node.
//!
//! Contract: [`plan`] lists, in path order, the new `*.log` files the agent
//! starts following and the rotated files it never opened (missed), then a
//! read of everything followed. Applying that read plans, per followed
//! inode, a ship when the file has grown past the saved offset and a release
//! when the file no longer has a `*.log` name; a release waits until the
//! file is drained. [`plan`] changes nothing; [`apply`] applies one step.

use crate::agent::{matches_glob, ShippedRecord, WATCHED_DIR};
use crate::node::{Applied, Node};
use crate::rules;
use sim_core::{Event, SimTime};

/// One micro-step of an agent poll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    Missed { path: String, lineage: u64 },
    Discover { path: String },
    ReadAll,
    Ship(u64),
    Release(u64),
}

/// The steps of one poll (see the module docs); none without an agent.
pub(crate) fn plan(node: &Node) -> Vec<Step> {
    let Some(agent) = &node.agent else {
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

/// Applies one step at `now` (see the module docs).
pub(crate) fn apply(node: &mut Node, step: Step, now: SimTime) -> Applied<Step> {
    let event = match step {
        Step::ReadAll => {
            return Applied {
                event: None,
                next: read_all(node),
            }
        }
        Step::Missed { path, lineage } => missed(node, path, lineage, now),
        Step::Discover { path } => discover(node, path, now),
        Step::Ship(ino) => ship(node, ino, now),
        Step::Release(ino) => release(node, ino, now),
    };
    event.map_or_else(Applied::default, Applied::event)
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

fn missed(node: &mut Node, path: String, lineage: u64, now: SimTime) -> Option<Event> {
    let agent = node.agent.as_mut()?;
    agent.record_missed(lineage, &path);
    let name = &agent.name;
    let detail = format!("{name} never opened this file before it was rotated away from its *.log name; its lines are never shipped");
    Some(Event::new(
        now,
        path,
        "agent-missed",
        detail,
        rules::AGENT_MISSED,
    ))
}

fn discover(node: &mut Node, path: String, now: SimTime) -> Option<Event> {
    let ino = node.fs.inode_at(&path)?;
    let lineage = node.fs.inode(ino)?.lineage;
    let agent = node.agent.as_mut()?;
    agent.follow(ino, lineage, &path);
    let detail = format!(
        "{} opens {path} (inode {ino}) and will read it from offset 0",
        agent.name
    );
    node.fs.set_held_open(ino, true);
    Some(Event::new(
        now,
        path,
        "agent-follows",
        detail,
        rules::AGENT_DISCOVER,
    ))
}

fn ship(node: &mut Node, ino: u64, now: SimTime) -> Option<Event> {
    let path = node
        .fs
        .path_of(ino)
        .map_or_else(|| format!("(deleted inode {ino})"), str::to_string);
    let text = &node.fs.inode(ino)?.text;
    let agent = node.agent.as_mut()?;
    let read = agent.read(ino, &path, text)?;
    let name = &agent.name;
    let shipped = read.messages.len();
    for m in read.messages {
        node.backend.push(ShippedRecord {
            shipped_by: name.clone(),
            file: path.clone(),
            time: m.timestamp.rfc3339_nano(),
            stream: m.stream.as_str().into(),
            text: m.text,
        });
    }
    let skipped = if read.bad_lines > 0 {
        format!(", skipped {} bad line(s)", read.bad_lines)
    } else {
        String::new()
    };
    let detail = format!(
        "{name} reads bytes {}..{} ({} CRI lines{skipped}) and ships {shipped} message(s); offset saved at {}",
        read.from, read.to, read.lines, read.to
    );
    Some(Event::new(
        now,
        path,
        "agent-shipped",
        detail,
        rules::AGENT_SHIP,
    ))
}

fn release(node: &mut Node, ino: u64, now: SimTime) -> Option<Event> {
    let size = node.fs.inode(ino).map_or(0, |f| f.size);
    let agent = node.agent.as_mut()?;
    if agent.following.get(&ino).is_some_and(|t| t.offset < size) {
        return None;
    }
    let tail = agent.release(ino)?;
    let name = agent.name.clone();
    node.fs.set_held_open(ino, false);
    let now_named = node
        .fs
        .path_of(ino)
        .map_or_else(|| "deleted".to_string(), |p| format!("now {p}"));
    let detail = format!(
        "{name} has read inode {ino} ({now_named}) to its end at offset {} and closes it",
        tail.offset
    );
    Some(Event::new(
        now,
        tail.path,
        "agent-released",
        detail,
        rules::AGENT_RELEASE_ROTATED,
    ))
}
