//! The kubelet's log rotation at each periodic check.
//!
//! Contract: [`plan`] looks at every running container, in pod then container
//! order, whose current log has reached `containerLogMaxSize`, and plans, for
//! each: delete rotated files oldest first until at most
//! `containerLogMaxFiles - 2` remain, gzip the remaining plain rotated files,
//! rename the current file to `<log>.<YYYYMMDD-hhmmss>` and reopen it. It
//! changes nothing; [`apply`] applies one step and says what it did. New
//! settings (an input) apply from the next check.

use crate::config::ContainerRef;
use crate::facts::LogsFact;
use crate::node::Node;
use sim_core::SimTime;
use std::sync::Arc;

/// One micro-step of a rotation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    RemoveRotated {
        path: String,
        kept: u64,
    },
    Compress {
        path: String,
    },
    Rename {
        from: String,
        to: String,
    },
    Reopen {
        target: ContainerRef,
        path: String,
    },
    /// New `containerLogMaxSize` (bytes) and `containerLogMaxFiles` (an input).
    Configure {
        max_size: u64,
        max_files: u64,
    },
}

/// The steps of the periodic check at `now` (see the module docs).
pub(crate) fn plan(node: &Node, now: SimTime) -> Vec<Step> {
    let settings = &node.config.settings;
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

/// Applies one step; `None` when its file is gone.
pub(crate) fn apply(node: &mut Node, step: Step) -> Option<LogsFact> {
    match step {
        Step::RemoveRotated { path, kept } => {
            let size = node.fs.file(&path).map_or(0, |f| f.size);
            node.fs.unlink(&path);
            Some(LogsFact::RotatedRemoved { path, size, kept })
        }
        Step::Compress { path } => {
            let plain = node.fs.file(&path).map_or(0, |f| f.size);
            let percent = node.config.settings.gzip_percent;
            let size = node.fs.gzip(&path, percent)?;
            Some(LogsFact::RotatedCompressed {
                path,
                plain,
                size,
                percent,
            })
        }
        Step::Rename { from, to } => {
            let size = node.fs.file(&from).map_or(0, |f| f.size);
            let max = node.config.settings.container_log_max_size;
            node.fs.rename(&from, &to);
            Some(LogsFact::Rotated {
                from,
                to,
                size,
                max,
            })
        }
        Step::Reopen { target, path } => {
            let inode = node.fs.create(&path);
            Some(LogsFact::Reopened {
                container: node.name_of(target),
                path,
                inode,
            })
        }
        Step::Configure {
            max_size,
            max_files,
        } => {
            let settings = &mut Arc::make_mut(&mut node.config).settings;
            let fact = LogsFact::RotationSettingsChanged {
                old_max_size: settings.container_log_max_size,
                max_size,
                old_max_files: settings.container_log_max_files,
                max_files,
            };
            settings.container_log_max_size = max_size;
            settings.container_log_max_files = max_files;
            Some(fact)
        }
    }
}
