//! The rules the overlay simulator follows, one `const` per behaviour.
//!
//! Contract: every event the simulator emits names exactly one of these rules,
//! and [`ALL`] lists every one; each `says` is one sentence a presenter can
//! read aloud, and each `source` names where the behaviour is specified
//! (semantics.md section 2 follows them).

use sim_core::Rule;

const OVERLAYFS: &str = "kernel Documentation/filesystems/overlayfs.rst";
const OVERLAY2: &str = "moby daemon/graphdriver/overlay2";
const BUILDKIT: &str =
    "BuildKit dockerfile frontend (docs.docker.com/build/building/best-practices)";
const OCI_LAYER: &str = "OCI image-spec layer.md (whiteouts)";

/// Lower layers stack right to left in the `lowerdir=` option.
pub const MOUNT_STACK: Rule = Rule {
    id: "overlay.mount.stack",
    says: "Lower layers stack right to left: the first lowerdir listed is the top lower layer.",
    source: OVERLAYFS,
};

/// A mount without upperdir and workdir is read-only.
pub const MOUNT_READ_ONLY: Rule = Rule {
    id: "overlay.mount.read-only",
    says: "Without an upperdir and a workdir the overlay mount is read-only, so every change fails with EROFS.",
    source: OVERLAYFS,
};

/// Lookup order: upper, then lowers top to bottom.
pub const LOOKUP: Rule = Rule {
    id: "overlay.lookup",
    says: "A lookup tries the upper layer first, then each lower layer from top to bottom, and the first layer that has the name wins.",
    source: OVERLAYFS,
};

/// A non-directory hides every entry of the same name below it.
pub const NON_DIR_HIDES: Rule = Rule {
    id: "overlay.lookup.non-dir-hides",
    says: "A file in a higher layer hides everything of that name in the layers below it.",
    source: OVERLAYFS,
};

/// Same-named directories merge their listings.
pub const DIR_MERGE: Rule = Rule {
    id: "overlay.lookup.dir-merge",
    says: "Directories of the same name in several layers merge their listings into one directory.",
    source: OVERLAYFS,
};

/// A path that the merged view does not have.
pub const NO_SUCH_PATH: Rule = Rule {
    id: "overlay.enoent",
    says: "A name that no layer shows in the merged view does not exist, so the call fails with ENOENT.",
    source: OVERLAYFS,
};

/// Calls that fail because of the kind of the entry (EISDIR, ENOTDIR, ENOTEMPTY, EEXIST, EPERM).
pub const WRONG_KIND: Rule = Rule {
    id: "overlay.errno",
    says: "The merged view behaves like an ordinary filesystem, so a call on the wrong kind of entry fails with the usual error.",
    source: "man 2 open, rename, link, mkdir",
};

/// Parents are copied up, with their metadata, before a lower entry.
pub const COPY_UP_PARENT: Rule = Rule {
    id: "overlay.copy-up.parents",
    says: "Before anything is created or copied in upper, its parent directories are copied up with the same metadata and extended attributes.",
    source: OVERLAYFS,
};

/// The first change to a lower file copies the whole file, then its xattrs, up once.
pub const COPY_UP_FILE: Rule = Rule {
    id: "overlay.copy-up.file",
    says: "The first change to a lower file, a write, a rename or a metadata change such as chmod or setxattr, copies the whole file and then its extended attributes into upper, once; after that every operation hits the upper copy.",
    source: OVERLAYFS,
};

/// A lower directory is copied up empty; its lower contents keep merging.
pub const COPY_UP_DIR: Rule = Rule {
    id: "overlay.copy-up.dir",
    says: "Copying up a lower directory creates an empty directory in upper with the same metadata and extended attributes, while its contents stay in the lower layers and still merge into it.",
    source: OVERLAYFS,
};

/// A change to an entry that is already in upper changes only upper.
pub const UPPER_CHANGE: Rule = Rule {
    id: "overlay.upper.change",
    says: "A change to an entry that is already in upper changes only the upper copy; lower layers never change.",
    source: OVERLAYFS,
};

/// New names are created in upper.
pub const CREATE_IN_UPPER: Rule = Rule {
    id: "overlay.upper.create",
    says: "A new file or directory is created in the upper layer.",
    source: OVERLAYFS,
};

/// Deleting a name that a lower layer has leaves a whiteout.
pub const WHITEOUT: Rule = Rule {
    id: "overlay.delete.whiteout",
    says: "Deleting a name that a lower layer has leaves a whiteout in upper, a character device 0/0 that hides the name below.",
    source: OVERLAYFS,
};

/// Deleting an upper-only name just removes it.
pub const REMOVE_FROM_UPPER: Rule = Rule {
    id: "overlay.delete.upper-only",
    says: "Deleting a name that only the upper layer has simply removes it from upper.",
    source: OVERLAYFS,
};

/// An emptied copied-up directory becomes one whiteout on rmdir.
pub const RMDIR_WHITEOUT: Rule = Rule {
    id: "overlay.delete.rmdir",
    says: "Removing a directory that a lower layer has replaces its upper copy, and the whiteouts inside, by one whiteout.",
    source: OVERLAYFS,
};

/// Recreating a deleted lower directory makes it opaque.
pub const OPAQUE_DIR: Rule = Rule {
    id: "overlay.opaque-dir",
    says: "Recreating a deleted lower directory makes an opaque directory, trusted.overlay.opaque=y, that hides everything below it.",
    source: OVERLAYFS,
};

/// A whiteout hides only lower layers.
pub const WHITEOUT_OWN_LAYER: Rule = Rule {
    id: "overlay.whiteout.own-layer",
    says: "A whiteout hides its name only in the layers below it, never the files of its own layer, which still show.",
    source: OCI_LAYER,
};

/// Renaming a lower directory needs redirect_dir.
pub const RENAME_EXDEV: Rule = Rule {
    id: "overlay.rename.exdev",
    says: "Renaming a directory that comes from a lower layer fails with EXDEV unless the mount has redirect_dir on.",
    source: OVERLAYFS,
};

/// With redirect_dir, a renamed lower directory points back to its old path.
pub const RENAME_REDIRECT: Rule = Rule {
    id: "overlay.rename.redirect",
    says: "With redirect_dir on, a renamed lower directory is moved in upper with a trusted.overlay.redirect to its old path, so its lower contents still merge in under the new name.",
    source: OVERLAYFS,
};

/// Renaming a file or an upper-only directory happens inside upper.
pub const RENAME_IN_UPPER: Rule = Rule {
    id: "overlay.rename.upper",
    says: "Renaming a file, or a directory only upper has, moves it inside upper, after copying a lower file up.",
    source: OVERLAYFS,
};

/// An upper-only directory renamed onto a name a lower layer has turns opaque.
pub const RENAME_OPAQUE: Rule = Rule {
    id: "overlay.rename.opaque",
    says: "A directory only upper has, renamed to a name a lower layer also has, is marked opaque, trusted.overlay.opaque=y, so the lower directory of that name stays hidden.",
    source: OVERLAYFS,
};

/// A rename leaves a whiteout at the old name when a lower layer has it.
pub const RENAME_WHITEOUT: Rule = Rule {
    id: "overlay.rename.whiteout",
    says: "After a rename the old name must stay hidden, so when a lower layer still has it a whiteout is left there.",
    source: OVERLAYFS,
};

/// Hard links to lower files copy up first.
pub const HARDLINK_COPY_UP: Rule = Rule {
    id: "overlay.link.copy-up",
    says:
        "Hard-linking a lower file copies it up first, then links the new name to the upper copy.",
    source: OVERLAYFS,
};

/// Reading returns the entry the lookup found, with its layer.
pub const READ: Rule = Rule {
    id: "overlay.read",
    says: "Reading never copies anything up: the data comes from whichever layer the lookup found.",
    source: OVERLAYFS,
};

/// Tar form of whiteouts and opaque directories.
pub const TAR_WHITEOUT: Rule = Rule {
    id: "image.tar.whiteout",
    says: "In an image layer tar a whiteout is an empty file named .wh.<name>, and an opaque directory holds a file named .wh..wh..opq.",
    source: OCI_LAYER,
};

/// Docker's overlay2 driver: image layers are lowers, the container layer is upper.
pub const DOCKER_CONTAINER: Rule = Rule {
    id: "overlay2.container",
    says: "Docker mounts the image layers as lowerdirs and gives each container its own thin read-write layer, diff/, as upperdir.",
    source: OVERLAY2,
};

/// Removing a container removes only its upper.
pub const DOCKER_RM: Rule = Rule {
    id: "overlay2.rm",
    says: "Removing a container deletes only its own read-write layer; the image layers stay for other containers.",
    source: OVERLAY2,
};

/// Identical layers are stored once.
pub const LAYER_SHARED: Rule = Rule {
    id: "overlay2.layer.shared",
    says: "A layer whose content digest is already stored is not stored again: identical layers are shared between images.",
    source: OVERLAY2,
};

/// A new layer is stored in its own directory.
pub const LAYER_STORED: Rule = Rule {
    id: "overlay2.layer.stored",
    says: "Each layer gets its own directory under /var/lib/docker/overlay2 with its files in diff/, a short name in link, and its lower layers in lower.",
    source: OVERLAY2,
};

/// Committing a container turns its upper into an image layer.
pub const COMMIT: Rule = Rule {
    id: "overlay2.commit",
    says: "Committing a container packs its upper layer into a new read-only image layer on top of the image's layers.",
    source: OVERLAY2,
};

/// FROM brings the base image's layers.
pub const BUILD_FROM: Rule = Rule {
    id: "build.from",
    says: "FROM starts the new image with all of the base image's layers.",
    source: BUILDKIT,
};

/// RUN, COPY and ADD each add a layer.
pub const BUILD_LAYER: Rule = Rule {
    id: "build.layer",
    says: "RUN, COPY and ADD each add a new layer holding exactly the files they changed.",
    source: BUILDKIT,
};

/// WORKDIR other than `/` adds a possibly empty layer.
pub const BUILD_WORKDIR: Rule = Rule {
    id: "build.workdir",
    says: "WORKDIR to a path other than / adds a layer that creates the directory, even when that layer is empty.",
    source: BUILDKIT,
};

/// Metadata-only instructions.
pub const BUILD_METADATA: Rule = Rule {
    id: "build.metadata",
    says: "LABEL, CMD, ENV, ENTRYPOINT, EXPOSE, USER and ARG change only the image's metadata and add no layer.",
    source: BUILDKIT,
};

/// Deleting in a later layer never shrinks the image.
pub const DELETE_NEVER_SHRINKS: Rule = Rule {
    id: "build.delete-never-shrinks",
    says: "Deleting files in a later layer never shrinks the image: the bytes stay in the earlier layer and the new layer only adds whiteouts.",
    source: BUILDKIT,
};

/// Every rule of the overlay simulator, in the order of this file.
pub const ALL: &[&Rule] = &[
    &MOUNT_STACK,
    &MOUNT_READ_ONLY,
    &LOOKUP,
    &NON_DIR_HIDES,
    &DIR_MERGE,
    &NO_SUCH_PATH,
    &WRONG_KIND,
    &COPY_UP_PARENT,
    &COPY_UP_FILE,
    &COPY_UP_DIR,
    &UPPER_CHANGE,
    &CREATE_IN_UPPER,
    &WHITEOUT,
    &REMOVE_FROM_UPPER,
    &RMDIR_WHITEOUT,
    &OPAQUE_DIR,
    &WHITEOUT_OWN_LAYER,
    &RENAME_EXDEV,
    &RENAME_REDIRECT,
    &RENAME_IN_UPPER,
    &RENAME_OPAQUE,
    &RENAME_WHITEOUT,
    &HARDLINK_COPY_UP,
    &READ,
    &TAR_WHITEOUT,
    &DOCKER_CONTAINER,
    &DOCKER_RM,
    &LAYER_SHARED,
    &LAYER_STORED,
    &COMMIT,
    &BUILD_FROM,
    &BUILD_LAYER,
    &BUILD_WORKDIR,
    &BUILD_METADATA,
    &DELETE_NEVER_SHRINKS,
];
