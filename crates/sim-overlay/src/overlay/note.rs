//! What one step of a file operation did, as structured fields.
//!
//! Contract: every [`MountNote`] names one rule and one kind, and renders
//! its sentence only when asked, given the path the step is about.

use crate::layer::{xattr_list, Xattrs};
use crate::rules;
use sim_core::Rule;

/// Why a call fails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// EROFS: the mount has no upper layer.
    ReadOnly,
    /// ENOENT: no layer shows the name.
    NoSuchPath,
    /// ENOENT: the parent is not a directory in the merged view.
    ParentNotDir {
        /// The parent.
        parent: String,
    },
    /// EISDIR: the path is a directory.
    IsDir,
    /// ENOTDIR: the path is not a directory.
    NotDir,
    /// EEXIST: the name exists.
    Exists,
    /// EEXIST: the new name of a link exists.
    NewNameExists,
    /// EINVAL: a directory renamed into itself.
    Inside {
        /// The new name.
        to: String,
        /// The old name.
        from: String,
    },
    /// EISDIR: a non-directory renamed onto a directory.
    OntoDir {
        /// The new name.
        to: String,
    },
    /// ENOTDIR: a directory renamed onto a non-directory.
    OntoNonDir {
        /// The new name.
        to: String,
    },
    /// EXDEV: a lower directory renamed without redirect_dir.
    LowerDirNoRedirect,
    /// ENOTEMPTY: a directory renamed onto a directory that is not empty.
    NotEmpty {
        /// The new name.
        to: String,
    },
    /// EPERM: a directory hard-linked.
    DirLink,
}

impl Failure {
    /// The errno, e.g. `ENOENT`.
    pub fn errno(&self) -> &'static str {
        match self {
            Failure::ReadOnly => "EROFS",
            Failure::NoSuchPath | Failure::ParentNotDir { .. } => "ENOENT",
            Failure::IsDir | Failure::OntoDir { .. } => "EISDIR",
            Failure::NotDir | Failure::OntoNonDir { .. } => "ENOTDIR",
            Failure::Exists | Failure::NewNameExists => "EEXIST",
            Failure::Inside { .. } => "EINVAL",
            Failure::LowerDirNoRedirect => "EXDEV",
            Failure::NotEmpty { .. } => "ENOTEMPTY",
            Failure::DirLink => "EPERM",
        }
    }

    fn rule(&self) -> &'static Rule {
        match self {
            Failure::ReadOnly => &rules::MOUNT_READ_ONLY,
            Failure::NoSuchPath | Failure::ParentNotDir { .. } => &rules::NO_SUCH_PATH,
            Failure::LowerDirNoRedirect => &rules::RENAME_EXDEV,
            _ => &rules::WRONG_KIND,
        }
    }

    fn why(&self) -> String {
        match self {
            Failure::ReadOnly => "the mount has no upperdir, so it is read-only".to_string(),
            Failure::NoSuchPath => "no layer shows it".to_string(),
            Failure::ParentNotDir { parent } => {
                format!("its parent {parent} is not a directory in the merged view")
            }
            Failure::IsDir => "it is a directory".to_string(),
            Failure::NotDir => "it is not a directory".to_string(),
            Failure::Exists => "the name already exists".to_string(),
            Failure::NewNameExists => "the new name already exists".to_string(),
            Failure::Inside { to, from } => format!("{to} lies inside {from}"),
            Failure::OntoDir { to } => format!("{to} is a directory"),
            Failure::OntoNonDir { to } => format!("{to} is not a directory"),
            Failure::LowerDirNoRedirect => "it is a directory from a lower layer and redirect_dir is off (mv then falls back to copying)".to_string(),
            Failure::NotEmpty { to } => format!("{to} is a directory that is not empty"),
            Failure::DirLink => "directories cannot be hard-linked".to_string(),
        }
    }
}

/// What a rename's new name held before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replaced {
    /// Nothing: the name was free.
    Nothing,
    /// An empty directory.
    EmptyDir,
    /// A non-directory.
    Entry,
}

/// How a directory moves inside upper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DirMove {
    /// A copied-up lower directory, with a redirect to where the lowers have it.
    Redirect {
        /// The `trusted.overlay.redirect` value.
        redirect: String,
    },
    /// An upper-only directory onto a name a lower layer has: marked opaque.
    Opaque,
    /// An upper-only directory onto a free name.
    Plain,
}

/// One step of a file operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MountNote {
    /// The call fails and changes nothing.
    Failed(Failure),
    /// A read of a file, from the layer the lookup found.
    Read {
        /// The file's text.
        content: String,
        /// Its size in bytes.
        size: u64,
        /// The layer it comes from.
        from: String,
        /// The lower layers whose same name it hides.
        hidden: Vec<String>,
    },
    /// A directory listing.
    Listed {
        /// Each visible name with the layer it comes from.
        shown: Vec<(String, String)>,
        /// The layers merged into the listing, top first.
        from: Vec<String>,
        /// Each whiteout of those layers with the layer it is in.
        whiteouts: Vec<(String, String)>,
    },
    /// A parent directory copied up with its metadata.
    CopyUpParent {
        /// The layer it comes from.
        from: String,
        /// Its mode.
        mode: u32,
        /// Its extended attributes.
        xattrs: Xattrs,
    },
    /// A lower directory copied up empty.
    CopyUpDir {
        /// The layer it comes from.
        from: String,
        /// Its mode.
        mode: u32,
        /// Its extended attributes.
        xattrs: Xattrs,
    },
    /// A lower file copied up whole, then its xattrs.
    CopyUpFile {
        /// The layer it comes from.
        from: String,
        /// Its size in bytes.
        size: u64,
        /// Its extended attributes.
        xattrs: Xattrs,
        /// Whether a hard link needs the copy (else a change or a rename).
        for_link: bool,
    },
    /// A new file created in upper with the data written.
    CreatedFile {
        /// Whether the data was appended (`>>`).
        append: bool,
        /// Bytes written.
        bytes: u64,
    },
    /// Data written to the upper copy.
    Written {
        /// Whether the data was appended (`>>`).
        append: bool,
        /// Bytes written.
        bytes: u64,
        /// The file's size after.
        size: u64,
    },
    /// New permission bits on the upper copy.
    Chmod {
        /// The new mode.
        mode: u32,
    },
    /// An extended attribute set on the upper copy.
    SetXattr {
        /// Its name.
        name: String,
        /// Its value.
        value: String,
    },
    /// A copied-up directory a lower layer has, removed: one whiteout.
    RmdirWhiteout,
    /// An upper-only directory removed.
    RemovedDir,
    /// An upper non-directory a lower layer also has, replaced by a whiteout.
    WhiteoutUpper,
    /// An upper-only non-directory removed.
    Removed,
    /// A whiteout created for a lower name.
    Whiteout,
    /// Another name of a removed upper file takes its data.
    LinkKeepsData {
        /// The removed name.
        of: String,
    },
    /// Another name of a removed upper file now links to the heir.
    LinkRetarget {
        /// The name that kept the data.
        heir: String,
    },
    /// A whiteout recreated as an opaque directory.
    OpaqueDir,
    /// A new directory in upper.
    CreatedDir,
    /// A new hard link in upper.
    Linked {
        /// The upper file it names.
        target: String,
    },
    /// A directory moved inside upper.
    MovedDir {
        /// The old name.
        from: String,
        /// What the new name held.
        replaced: Replaced,
        /// How it moves.
        how: DirMove,
    },
    /// A file's upper copy moved.
    MovedFile {
        /// The old name.
        from: String,
        /// What the new name held.
        replaced: Replaced,
    },
    /// A whiteout at a renamed name a lower layer still has.
    RenameWhiteout {
        /// The new name.
        to: String,
    },
}

impl MountNote {
    /// A short machine-readable kind, e.g. `copy-up`.
    pub fn kind(&self) -> &'static str {
        match self {
            MountNote::Failed(_) => "error",
            MountNote::Read { .. } => "read",
            MountNote::Listed { .. } => "list",
            MountNote::CopyUpParent { .. } => "copy-up-parent",
            MountNote::CopyUpDir { .. } | MountNote::CopyUpFile { .. } => "copy-up",
            MountNote::CreatedFile { .. } | MountNote::CreatedDir => "create",
            MountNote::Written { append: true, .. } => "append",
            MountNote::Written { append: false, .. } => "write",
            MountNote::Chmod { .. } => "chmod",
            MountNote::SetXattr { .. } => "setxattr",
            MountNote::RmdirWhiteout
            | MountNote::WhiteoutUpper
            | MountNote::Whiteout
            | MountNote::RenameWhiteout { .. } => "whiteout",
            MountNote::RemovedDir | MountNote::Removed => "remove",
            MountNote::LinkKeepsData { .. } => "link-keeps-data",
            MountNote::LinkRetarget { .. } => "link-retarget",
            MountNote::OpaqueDir => "opaque-dir",
            MountNote::Linked { .. } => "link",
            MountNote::MovedDir {
                how: DirMove::Redirect { .. },
                ..
            } => "redirect",
            MountNote::MovedDir { .. } | MountNote::MovedFile { .. } => "rename",
        }
    }

    /// The rule the step follows.
    pub fn rule(&self) -> &'static Rule {
        match self {
            MountNote::Failed(failure) => failure.rule(),
            MountNote::Read { hidden, .. } if hidden.is_empty() => &rules::READ,
            MountNote::Read { .. } => &rules::NON_DIR_HIDES,
            MountNote::Listed { whiteouts, .. } if !whiteouts.is_empty() => {
                &rules::WHITEOUT_OWN_LAYER
            }
            MountNote::Listed { from, .. } if from.len() > 1 => &rules::DIR_MERGE,
            MountNote::Listed { .. } => &rules::LOOKUP,
            MountNote::CopyUpParent { .. } => &rules::COPY_UP_PARENT,
            MountNote::CopyUpDir { .. } => &rules::COPY_UP_DIR,
            MountNote::CopyUpFile { for_link: true, .. } | MountNote::Linked { .. } => {
                &rules::HARDLINK_COPY_UP
            }
            MountNote::CopyUpFile { .. } => &rules::COPY_UP_FILE,
            MountNote::CreatedFile { .. } | MountNote::CreatedDir => &rules::CREATE_IN_UPPER,
            MountNote::Written { .. }
            | MountNote::Chmod { .. }
            | MountNote::SetXattr { .. }
            | MountNote::LinkKeepsData { .. }
            | MountNote::LinkRetarget { .. } => &rules::UPPER_CHANGE,
            MountNote::RmdirWhiteout => &rules::RMDIR_WHITEOUT,
            MountNote::RemovedDir | MountNote::Removed => &rules::REMOVE_FROM_UPPER,
            MountNote::WhiteoutUpper | MountNote::Whiteout => &rules::WHITEOUT,
            MountNote::OpaqueDir => &rules::OPAQUE_DIR,
            MountNote::MovedDir {
                how: DirMove::Redirect { .. },
                ..
            } => &rules::RENAME_REDIRECT,
            MountNote::MovedDir {
                how: DirMove::Opaque,
                ..
            } => &rules::RENAME_OPAQUE,
            MountNote::MovedDir { .. } | MountNote::MovedFile { .. } => &rules::RENAME_IN_UPPER,
            MountNote::RenameWhiteout { .. } => &rules::RENAME_WHITEOUT,
        }
    }

    /// What happened to `path`, in one sentence.
    pub fn detail(&self, path: &str) -> String {
        let replacing = |replaced: &Replaced| match replaced {
            Replaced::Nothing => String::new(),
            Replaced::EmptyDir => format!(", replacing the empty directory {path}"),
            Replaced::Entry => format!(", replacing {path}"),
        };
        match self {
            MountNote::Failed(failure) => {
                format!("fails with {}: {}", failure.errno(), failure.why())
            }
            MountNote::Read {
                content,
                size,
                from,
                hidden,
            } => {
                if hidden.is_empty() {
                    format!("reads {content:?} ({size} bytes) from {from}")
                } else {
                    format!(
                        "reads {content:?} ({size} bytes) from {from}, which hides the same name in {}",
                        hidden.join(", ")
                    )
                }
            }
            MountNote::Listed {
                shown,
                from,
                whiteouts,
            } => {
                let shown: Vec<String> = shown
                    .iter()
                    .map(|(name, label)| format!("{name} ({label})"))
                    .collect();
                let hidden: String = whiteouts
                    .iter()
                    .map(|(name, label)| {
                        format!("; the whiteout for {name} in {label} hides it only in the layers below {label}")
                    })
                    .collect();
                format!(
                    "lists [{}], merged from {}{hidden}",
                    shown.join(", "),
                    from.join(", ")
                )
            }
            MountNote::CopyUpParent { from, mode, xattrs } => format!(
                "copies up parent directory {path} from {from}, keeping mode {mode:04o} and xattrs ({})",
                xattr_list(xattrs)
            ),
            MountNote::CopyUpDir { from, mode, xattrs } => format!(
                "copies up directory {path} from {from} as an empty directory with mode {mode:04o} and xattrs ({}); its contents stay in the lower layers and merge",
                xattr_list(xattrs)
            ),
            MountNote::CopyUpFile {
                from, size, xattrs, ..
            } => format!(
                "copies the whole file {path} ({size} bytes) from {from} into upper, then its xattrs ({})",
                xattr_list(xattrs)
            ),
            MountNote::CreatedFile { append, bytes } => {
                let verb = if *append { "appends" } else { "writes" };
                format!("creates {path} in upper and {verb} {bytes} bytes")
            }
            MountNote::Written {
                append,
                bytes,
                size,
            } => {
                let verb = if *append { "appends" } else { "writes" };
                format!("{verb} {bytes} bytes to the upper copy, now {size} bytes")
            }
            MountNote::Chmod { mode } => format!("sets mode {mode:04o} on the upper copy"),
            MountNote::SetXattr { name, value } => {
                format!("sets xattr {name}={value} on the upper copy")
            }
            MountNote::RmdirWhiteout => {
                format!("removes the upper copy of {path} and leaves one whiteout (char 0/0)")
            }
            MountNote::RemovedDir => format!("removes directory {path} from upper"),
            MountNote::WhiteoutUpper => format!(
                "replaces the upper {path} by a whiteout (char 0/0), since a lower layer has it too"
            ),
            MountNote::Removed => format!("removes {path} from upper"),
            MountNote::Whiteout => format!(
                "creates a whiteout (char 0/0) for {path} in upper; the lower layers keep their copy"
            ),
            MountNote::LinkKeepsData { of } => {
                format!("{path} is another name of {of}, so it keeps the data")
            }
            MountNote::LinkRetarget { heir } => format!("{path} now links to {heir}"),
            MountNote::OpaqueDir => format!(
                "replaces the whiteout by an opaque directory {path} (trusted.overlay.opaque=y), hiding the lower contents"
            ),
            MountNote::CreatedDir => format!("creates directory {path} in upper"),
            MountNote::Linked { target } => {
                format!("creates {path} in upper as another name of the upper file {target}")
            }
            MountNote::MovedDir {
                from,
                replaced,
                how,
            } => {
                let replacing = replacing(replaced);
                match how {
                    DirMove::Redirect { redirect } => format!(
                        "moves the upper directory {from} to {path}{replacing} and sets trusted.overlay.redirect={redirect}"
                    ),
                    DirMove::Opaque => format!(
                        "moves the upper-only directory {from} to {path}{replacing} and marks it opaque (trusted.overlay.opaque=y), so the lower {path} stays hidden"
                    ),
                    DirMove::Plain => {
                        format!("moves the upper-only directory {from} to {path}{replacing}")
                    }
                }
            }
            MountNote::MovedFile { from, replaced } => {
                format!(
                    "moves the upper copy of {from} to {path}{}",
                    replacing(replaced)
                )
            }
            MountNote::RenameWhiteout { to } => format!(
                "leaves a whiteout (char 0/0) at the old name {path}, since a lower layer still has it and it now lives at {to}"
            ),
        }
    }
}
