//! The rules of cgroups, runc, the kubelet and the shell that this simulator
//! follows: one `const` per behaviour, each stated so a presenter can read it
//! aloud, with its source. Every event the simulator emits names one of them.

use sim_core::Rule;

const SCHED_BWC: &str = "kernel Documentation/scheduler/sched-bwc.rst";
const CGROUP_V1: &str = "kernel Documentation/admin-guide/cgroup-v1/cgroups.rst";
const CGROUP_V2: &str = "kernel Documentation/admin-guide/cgroup-v2.rst";
const MEMCG_V1: &str = "kernel Documentation/admin-guide/cgroup-v1/memory.rst";

/// A period ends: quota refilled, throttled threads run again.
pub const CFS_PERIOD: Rule = Rule {
    id: "cfs.period",
    says: "At the end of each cpu.cfs_period_us the group's quota is refilled and its throttled threads may run again.",
    source: SCHED_BWC,
};

/// A group spent its own quota.
pub const CFS_THROTTLE: Rule = Rule {
    id: "cfs.throttle",
    says: "A group that has used its cpu.cfs_quota_us of CPU time in this period is throttled until the next period.",
    source: SCHED_BWC,
};

/// An ancestor's quota bounds its descendants.
pub const CFS_ANCESTOR: Rule = Rule {
    id: "cfs.ancestor",
    says: "A group also waits when any ancestor's quota is spent: the parent bounds its children even when their quotas add up to more.",
    source: SCHED_BWC,
};

/// Period and quota ranges.
pub const CFS_RANGE: Rule = Rule {
    id: "cfs.range",
    says: "The period must lie between 1 ms and 1 s and a quota must be at least 1 ms; any negative quota means unlimited and reads back as -1; other writes fail with EINVAL.",
    source: "kernel kernel/sched/core.c tg_set_cfs_quota, tg_set_cfs_bandwidth",
};

/// v1: no child may have a larger quota/period ratio than its parent.
pub const CFS_CHILD_ABOVE_PARENT: Rule = Rule {
    id: "cfs.child-above-parent",
    says: "On cgroup v1 a single child's quota per period may not exceed its parent's, so such a write fails with EINVAL (their sum may).",
    source: "kernel kernel/sched/core.c tg_cfs_schedulable_down",
};

/// Work-conserving proportional sharing under contention.
pub const CPU_SHARES: Rule = Rule {
    id: "cpu.shares",
    says: "Busy sibling groups split contended CPU in proportion to cpu.shares (cpu.weight on v2); an idle sibling's part goes to the busy ones.",
    source: "kernel Documentation/scheduler/sched-design-CFS.rst",
};

/// Without contention shares do not matter.
pub const CPU_UNCONTENDED: Rule = Rule {
    id: "cpu.uncontended",
    says: "Shares matter only when two or more busy siblings each want more CPU than they get; otherwise every group gets all the CPU its threads can use or all that is left, whatever its shares.",
    source: "kernel Documentation/scheduler/sched-design-CFS.rst",
};

/// The kernel clamps cpu.shares rather than refusing.
pub const CPU_SHARES_CLAMP: Rule = Rule {
    id: "cpu.shares-clamp",
    says: "The kernel clamps a written cpu.shares into 2..262144 instead of refusing it.",
    source: "kernel kernel/sched/core.c sched_group_set_shares",
};

/// cpu.weight range.
pub const CPU_WEIGHT_RANGE: Rule = Rule {
    id: "cpu.weight-range",
    says: "cpu.weight accepts 1 to 10000 (default 100); any other number fails with ERANGE.",
    source: CGROUP_V2,
};

/// Unparsable values.
pub const WRITE_NOT_A_NUMBER: Rule = Rule {
    id: "write.einval",
    says: "A value the kernel cannot parse for that file fails with EINVAL and changes nothing.",
    source: "kernel lib/kstrtox.c",
};

/// A successful write.
pub const WRITE_SETTING: Rule = Rule {
    id: "write.setting",
    says: "Writing a cgroup file changes the setting the kernel enforces from then on.",
    source: CGROUP_V1,
};

/// Files without write (or read) permission.
pub const FILE_ACCESS: Rule = Rule {
    id: "file.eacces",
    says: "A cgroup file without a write handler cannot be written, and one without a read handler cannot be read: EACCES.",
    source: "kernel fs/kernfs/file.c kernfs_fop_open",
};

/// Missing groups and files.
pub const NO_SUCH_CGROUP: Rule = Rule {
    id: "cgroup.enoent",
    says: "A group or file that does not exist cannot be read, written, joined or removed: ENOENT.",
    source: CGROUP_V1,
};

/// cgcreate.
pub const CGROUP_CREATE: Rule = Rule {
    id: "cgroup.create",
    says: "cgcreate makes the group's directory, and any missing parent, in each named controller's hierarchy; the kernel fills it with that controller's files at their defaults.",
    source: "libcgroup cgcreate(1)",
};

/// cgexec and fork inheritance.
pub const CGROUP_ATTACH: Rule = Rule {
    id: "cgroup.attach",
    says: "cgexec writes the new process's pid into cgroup.procs of each named group, and every child it forks starts in the same groups.",
    source: "libcgroup cgexec(1)",
};

/// Processes started from a shell.
pub const FORK_INHERITS: Rule = Rule {
    id: "fork.inherits",
    says: "A command run from a shell is forked from it, so it starts in the shell's cgroups and namespaces.",
    source: CGROUP_V1,
};

/// unshare.
pub const UNSHARE: Rule = Rule {
    id: "ns.unshare",
    says: "unshare --uts --ipc --net gives the process its own hostname, its own System V IPC and its own network stack with only lo, down; PID, mount, user and cgroup namespaces stay the host's.",
    source: "util-linux unshare(1), namespaces(7)",
};

/// Hostname in a UTS namespace.
pub const UTS_HOSTNAME: Rule = Rule {
    id: "ns.uts",
    says: "A hostname set inside a new UTS namespace is seen only by processes in that namespace.",
    source: "uts_namespaces(7)",
};

/// Network devices in a namespace.
pub const NET_DEVICES: Rule = Rule {
    id: "ns.net",
    says: "A new network namespace starts with only the loopback device, and it is down.",
    source: "network_namespaces(7)",
};

/// Exit.
pub const PROCESS_EXIT: Rule = Rule {
    id: "process.exit",
    says: "When a process exits it leaves its cgroups and its memory is uncharged.",
    source: CGROUP_V1,
};

/// A kill.
pub const PROCESS_KILL: Rule = Rule {
    id: "process.kill",
    says: "SIGKILL ends a process at once, without cleanup: it leaves its cgroups and its memory is uncharged; stress, seeing a worker killed, stops the others and exits.",
    source: "signal(7), stress(1)",
};

/// cgdelete.
pub const CGROUP_DELETE: Rule = Rule {
    id: "cgroup.delete",
    says: "cgdelete first moves the group's tasks to its parent, then removes the directory; with -r it removes child groups first.",
    source: "libcgroup cgdelete(1)",
};

/// rmdir / cgdelete of a busy group.
pub const CGROUP_BUSY: Rule = Rule {
    id: "cgroup.ebusy",
    says: "The kernel refuses to remove a group that still has child groups or tasks: EBUSY.",
    source: "kernel kernel/cgroup/cgroup.c cgroup_destroy_locked",
};

/// ls -l of a cgroup directory.
pub const CGROUPFS_LIST: Rule = Rule {
    id: "cgroupfs.list",
    says: "A cgroup directory lists its controllers' interface files; each shows size 0 because the kernel generates the content when it is read.",
    source: CGROUP_V1,
};

/// cat of a cgroup file.
pub const CGROUPFS_READ: Rule = Rule {
    id: "cgroupfs.read",
    says: "Reading a cgroup file shows the kernel's current value: settings as stored (limits in whole pages) and live counters.",
    source: CGROUP_V1,
};

/// Memory charge.
pub const MEMORY_CHARGE: Rule = Rule {
    id: "memory.charge",
    says: "Memory a task touches is charged to its memory cgroup and to every ancestor.",
    source: MEMCG_V1,
};

/// Limit hit and failcnt.
pub const MEMORY_LIMIT_HIT: Rule = Rule {
    id: "memory.failcnt",
    says: "A charge that would take a group over its memory limit hits the limit, and memory.failcnt counts the hit.",
    source: MEMCG_V1,
};

/// Reclaim before OOM.
pub const MEMORY_RECLAIM: Rule = Rule {
    id: "memory.reclaim",
    says: "At the limit the kernel first reclaims the group's reclaimable page cache; only if that is not enough does it call the OOM killer.",
    source: MEMCG_V1,
};

/// OOM kill inside the cgroup.
pub const MEMORY_OOM_KILL: Rule = Rule {
    id: "memory.oom-kill",
    says: "If reclaim cannot make room, the OOM killer kills the bulkiest task in that cgroup only; tasks in other groups are untouched.",
    source: "kernel mm/memcontrol.c mem_cgroup_out_of_memory, mm/oom_kill.c",
};

/// oom_control = 1.
pub const MEMORY_OOM_DISABLED: Rule = Rule {
    id: "memory.oom-control",
    says: "With memory.oom_control set to 1 the killer is disabled: the task hangs at the limit and under_oom reads 1 until memory is freed or the limit raised.",
    source: MEMCG_V1,
};

/// Page rounding.
pub const MEMORY_PAGES: Rule = Rule {
    id: "memory.pages",
    says: "Memory limits are kept in whole 4096-byte pages, so a written limit is rounded down to a page multiple.",
    source: "kernel mm/page_counter.c page_counter_memparse",
};

/// memory.high.
pub const MEMORY_HIGH: Rule = Rule {
    id: "memory.high",
    says: "Above memory.high the kernel reclaims and throttles the group but never OOM-kills it; memory.events counts it under high.",
    source: CGROUP_V2,
};

/// Hung tasks resume.
pub const MEMORY_UNHANG: Rule = Rule {
    id: "memory.oom-resume",
    says: "A task hung at the limit retries its charge once the limit is raised or the killer re-enabled.",
    source: MEMCG_V1,
};

/// runc's current shares to weight conversion.
pub const RUNC_WEIGHT_QUADRATIC: Rule = Rule {
    id: "runc.weight-quadratic",
    says: "runc 1.3.2 and later map cpu.shares to cpu.weight on a log scale so that the default 1024 shares becomes the default weight 100.",
    source: "runc libcontainer/cgroups/utils.go ConvertCPUSharesToCgroupV2Value",
};

/// runc's old linear conversion.
pub const RUNC_WEIGHT_LINEAR: Rule = Rule {
    id: "runc.weight-linear",
    says: "runc 1.3.1 and earlier mapped cpu.shares 2..262144 linearly onto cpu.weight 1..10000, so 1024 shares became weight 39.",
    source: "runc libcontainer/cgroups/utils.go ConvertCPUSharesToCgroupV2Value (<= 1.3.1)",
};

/// Kubelet cpu.shares.
pub const KUBELET_SHARES: Rule = Rule {
    id: "kubelet.shares",
    says: "The kubelet writes cpu.shares = CPU request in milliCPU * 1024 / 1000, clamped to 2..262144; a BestEffort container gets 2.",
    source: "kubernetes pkg/kubelet/cm/helpers_linux.go MilliCPUToShares",
};

/// Kubelet CFS quota.
pub const KUBELET_QUOTA: Rule = Rule {
    id: "kubelet.quota",
    says: "The kubelet writes cpu.cfs_quota_us = CPU limit in milliCPU * 100000 / 1000 (at least 1000) per 100000 period, or -1 without a limit.",
    source: "kubernetes pkg/kubelet/cm/helpers_linux.go MilliCPUToQuota",
};

/// Kubelet memory limit.
pub const KUBELET_MEMORY: Rule = Rule {
    id: "kubelet.memory",
    says: "The kubelet writes the container's memory limit as memory.limit_in_bytes (memory.max on v2), unlimited without a limit.",
    source: "kubernetes pkg/kubelet/kuberuntime/kuberuntime_container_linux.go",
};

/// Kubelet memory.oom.group.
pub const KUBELET_OOM_GROUP: Rule = Rule {
    id: "kubelet.oom-group",
    says: "Since Kubernetes 1.28 the kubelet sets memory.oom.group=1 on cgroup v2, so an OOM kill takes the whole container.",
    source: "kubernetes pkg/kubelet/kuberuntime/kuberuntime_container_linux.go (1.28)",
};

/// memory.oom.group kills the whole group.
pub const MEMORY_OOM_GROUP: Rule = Rule {
    id: "memory.oom-group",
    says: "With memory.oom.group set to 1 an OOM kill takes every task of the group together.",
    source: CGROUP_V2,
};

/// Shell builtins.
pub const SHELL_ECHO: Rule = Rule {
    id: "shell.echo",
    says: "echo is a shell builtin: it prints its arguments and uses no measurable CPU or memory.",
    source: "POSIX sh",
};

/// Variables.
pub const SHELL_VARIABLE: Rule = Rule {
    id: "shell.variable",
    says: "uuidgen prints a random version-4 UUID; here it is drawn from the scenario's seed and the variable's own stream, so the same seed gives the same name whatever else the script draws.",
    source: "util-linux uuidgen(1)",
};

/// Time passing.
pub const TIME_PASSES: Rule = Rule {
    id: "time.passes",
    says: "sleep, or waiting for a foreground command, lets virtual time pass while every runnable process keeps running.",
    source: "POSIX sh",
};

/// Starting a workload.
pub const STRESS_START: Rule = Rule {
    id: "stress.start",
    says: "stress forks one worker per --cpu (spinning on a CPU) and per --vm (touching --vm-bytes of anonymous memory and keeping it).",
    source: "stress(1)",
};

/// Page cache from writing a file.
pub const PAGE_CACHE: Rule = Rule {
    id: "memory.page-cache",
    says: "Writing a file fills the page cache, which is charged to the writer's memory cgroup but stays reclaimable.",
    source: MEMCG_V1,
};

/// Plain shell variables.
pub const SHELL_ASSIGN: Rule = Rule {
    id: "shell.assign",
    says: "NAME=value stores a shell variable that later lines use as $NAME.",
    source: "POSIX sh",
};

/// Every rule of this simulator, each once.
pub const ALL: &[&Rule] = &[
    &CFS_PERIOD,
    &CFS_THROTTLE,
    &CFS_ANCESTOR,
    &CFS_RANGE,
    &CFS_CHILD_ABOVE_PARENT,
    &CPU_SHARES,
    &CPU_UNCONTENDED,
    &CPU_SHARES_CLAMP,
    &CPU_WEIGHT_RANGE,
    &WRITE_NOT_A_NUMBER,
    &WRITE_SETTING,
    &FILE_ACCESS,
    &NO_SUCH_CGROUP,
    &CGROUP_CREATE,
    &CGROUP_ATTACH,
    &FORK_INHERITS,
    &UNSHARE,
    &UTS_HOSTNAME,
    &NET_DEVICES,
    &PROCESS_EXIT,
    &PROCESS_KILL,
    &CGROUP_DELETE,
    &CGROUP_BUSY,
    &CGROUPFS_LIST,
    &CGROUPFS_READ,
    &MEMORY_CHARGE,
    &MEMORY_LIMIT_HIT,
    &MEMORY_RECLAIM,
    &MEMORY_OOM_KILL,
    &MEMORY_OOM_DISABLED,
    &MEMORY_PAGES,
    &MEMORY_HIGH,
    &MEMORY_UNHANG,
    &RUNC_WEIGHT_QUADRATIC,
    &RUNC_WEIGHT_LINEAR,
    &KUBELET_SHARES,
    &KUBELET_QUOTA,
    &KUBELET_MEMORY,
    &KUBELET_OOM_GROUP,
    &MEMORY_OOM_GROUP,
    &SHELL_ECHO,
    &SHELL_VARIABLE,
    &TIME_PASSES,
    &STRESS_START,
    &PAGE_CACHE,
    &SHELL_ASSIGN,
];
