//! The kubelet's log rotation at each periodic check.
//!
//! Contract: [`plan`] looks at every running container, in pod then container
//! order, whose current log has reached `containerLogMaxSize`, and plans, for
//! each: delete rotated files oldest first until at most
//! `containerLogMaxFiles - 2` remain, gzip the remaining plain rotated files,
//! rename the current file to `<log>.<YYYYMMDD-hhmmss>` and reopen it. It
//! changes nothing; [`apply`] applies one step and says what it did.

use crate::node::Node;
use crate::rules;
use crate::setup::ContainerRef;
use sim_core::{Event, SimTime};

/// One micro-step of a rotation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    RemoveRotated { path: String, kept: u64 },
    Compress { path: String },
    Rename { from: String, to: String },
    Reopen { target: ContainerRef, path: String },
}

/// The steps of the periodic check at `now` (see the module docs).
pub(crate) fn plan(node: &Node, now: SimTime) -> Vec<Step> {
    let settings = &node.setup.settings;
    let keep = settings.container_log_max_files.saturating_sub(2);
    let suffix = node.stamp(now).rotation_suffix();
    let mut plan = Vec::new();
    for target in node.targets() {
        if !node.is_running(target) {
            continue;
        }
        let Some(path) = node.current_path(target) else {
            continue;
        };
        let size = node.fs.file(&path).map_or(0, |f| f.size);
        if size < settings.container_log_max_size {
            continue;
        }
        let prefix = format!("{path}.");
        let rotated: Vec<String> = node
            .fs
            .files_under(&prefix)
            .map(|(p, _, _)| p.to_string())
            .collect();
        let excess = rotated
            .len()
            .saturating_sub(usize::try_from(keep).unwrap_or(usize::MAX));
        for (i, old) in rotated.iter().enumerate() {
            if i < excess {
                plan.push(Step::RemoveRotated {
                    path: old.clone(),
                    kept: keep,
                });
            } else if !old.ends_with(".gz") {
                plan.push(Step::Compress { path: old.clone() });
            }
        }
        plan.push(Step::Rename {
            from: path.clone(),
            to: format!("{path}.{suffix}"),
        });
        plan.push(Step::Reopen { target, path });
    }
    plan
}

/// Applies one step at `now`; `None` when its file is gone.
pub(crate) fn apply(node: &mut Node, step: Step, now: SimTime) -> Option<Event> {
    match step {
        Step::RemoveRotated { path, kept } => {
            let size = node.fs.file(&path).map_or(0, |f| f.size);
            node.fs.unlink(&path);
            let files = if kept == 1 { "file" } else { "files" };
            Some(Event::new(
                now,
                path.clone(),
                "rotated-removed",
                format!("deleted {path} ({size} bytes), oldest first, to keep at most {kept} rotated {files}"),
                rules::ROTATE_REMOVE_EXCESS,
            ))
        }
        Step::Compress { path } => {
            let plain = node.fs.file(&path).map_or(0, |f| f.size);
            let percent = node.setup.settings.gzip_percent;
            let size = node.fs.gzip(&path, percent)?;
            Some(Event::new(
                now,
                path.clone(),
                "rotated-compressed",
                format!("gzipped {path} to {path}.gz: {plain} -> {size} bytes (modelled as 18 + ceil({plain} x {percent}%))"),
                rules::ROTATE_COMPRESS,
            ))
        }
        Step::Rename { from, to } => {
            let size = node.fs.file(&from).map_or(0, |f| f.size);
            let max = node.setup.settings.container_log_max_size;
            node.fs.rename(&from, &to);
            Some(Event::new(
                now,
                from.clone(),
                "rotated",
                format!("{from} is {size} bytes >= containerLogMaxSize {max}: renamed to {to}"),
                rules::ROTATE_RENAME,
            ))
        }
        Step::Reopen { target, path } => {
            let ino = node.fs.create(&path);
            let name = node.name_of(target);
            Some(Event::new(
                now,
                path.clone(),
                "reopened",
                format!("the runtime reopens {path} for {name}: a new empty file (inode {ino})"),
                rules::ROTATE_REOPEN,
            ))
        }
    }
}
