// The catalog of live figures: plain Rust with no dependency, included by the
// player (`src/figures/mod.rs`) and by `build.rs`, which checks it against the
// scenarios and the deck. To add a figure: a variant, a line here naming its
// scenario file, and its arm in `figures::draw`.

/// Every live figure the player can draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FigureKind {
    /// Slide 7: processes in a cgroup tree, CPU shared by shares.
    CgroupsTree,
    /// Slide 8: the shell session run on a simulated host.
    ShellSession,
    /// Slide 9: `ls -l` of a cgroup directory, with each file's value.
    CgroupListing,
    /// Slide 10: hierarchies, subsystems, groups and tasks.
    CgroupsLevel,
    /// Slide 15: the storage drivers and the overlay mount overlay2 makes.
    StorageDrivers,
    /// Slide 16: the Dockerfile built layer by layer.
    DockerfileLayers,
    /// Slide 17: image layers shared by containers with thin R/W layers.
    ContainerLayers,
    /// Slide 18: lowerdir, upperdir and merged, operation by operation.
    OverlayConstructs,
    /// Slide 19: the scheduling queue by priority, and a preemption.
    KubeScheduler,
    /// Slide 20: one pod through the scheduling framework's extension points.
    SchedulingFramework,
    /// Slide 22: node-level logging and rotation.
    NodeLogging,
    /// Slide 23: a node logging agent shipping lines.
    LoggingAgent,
    /// Slide 24: a streaming sidecar.
    StreamingSidecar,
}

/// A live figure: its name and the scenario file it runs.
#[derive(Debug, Clone, Copy)]
pub struct FigureSpec {
    /// Which figure.
    pub kind: FigureKind,
    /// Its stable name, e.g. `shell-session`.
    pub name: &'static str,
    /// The scenario file in `slides/scenarios/` it runs.
    pub scenario: &'static str,
}

/// Every live figure, each with its scenario.
pub const FIGURES: [FigureSpec; 13] = [
    FigureSpec {
        kind: FigureKind::CgroupsTree,
        name: "cgroups-tree",
        scenario: "cgroups-shares.toml",
    },
    FigureSpec {
        kind: FigureKind::ShellSession,
        name: "shell-session",
        scenario: "cgroups-deck-session.toml",
    },
    FigureSpec {
        kind: FigureKind::CgroupListing,
        name: "cgroup-listing",
        scenario: "cgroups-ls-listing.toml",
    },
    FigureSpec {
        kind: FigureKind::CgroupsLevel,
        name: "cgroups-level",
        scenario: "cgroups-hierarchy.toml",
    },
    FigureSpec {
        kind: FigureKind::StorageDrivers,
        name: "storage-drivers",
        scenario: "overlay-storage-driver.toml",
    },
    FigureSpec {
        kind: FigureKind::DockerfileLayers,
        name: "dockerfile-layers",
        scenario: "overlay-dockerfile.toml",
    },
    FigureSpec {
        kind: FigureKind::ContainerLayers,
        name: "container-layers",
        scenario: "overlay-containers.toml",
    },
    FigureSpec {
        kind: FigureKind::OverlayConstructs,
        name: "overlay-constructs",
        scenario: "overlay-mount.toml",
    },
    FigureSpec {
        kind: FigureKind::KubeScheduler,
        name: "kube-scheduler",
        scenario: "scheduler-priority.toml",
    },
    FigureSpec {
        kind: FigureKind::SchedulingFramework,
        name: "scheduling-framework",
        scenario: "scheduler-framework.toml",
    },
    FigureSpec {
        kind: FigureKind::NodeLogging,
        name: "node-logging",
        scenario: "logs-node-level.toml",
    },
    FigureSpec {
        kind: FigureKind::LoggingAgent,
        name: "logging-agent",
        scenario: "logs-node-agent.toml",
    },
    FigureSpec {
        kind: FigureKind::StreamingSidecar,
        name: "streaming-sidecar",
        scenario: "logs-streaming-sidecar.toml",
    },
];

/// The figure named `name`.
pub fn figure_named(name: &str) -> Option<FigureSpec> {
    FIGURES.iter().copied().find(|spec| spec.name == name)
}
