//! The Kubernetes view: how the kubelet turns a container's CPU and memory
//! requests and limits into cgroup values.
//!
//! Contract: pure functions, matching `pkg/kubelet/cm/helpers_linux.go`
//! (`MilliCPUToShares`, `MilliCPUToQuota`) and the v2 settings runc derives;
//! [`container_writes`] lists the files written, each with its rule.

use crate::rules;
use crate::weight::{shares_to_weight, WeightFormula};
use serde::{Deserialize, Serialize};
use sim_core::Rule;

/// The smallest `cpu.shares` the kubelet writes (and BestEffort's value).
pub const MIN_SHARES: u64 = 2;
/// The largest `cpu.shares` the kubelet writes.
pub const MAX_SHARES: u64 = 262_144;
/// The CFS period the kubelet uses, in microseconds.
pub const QUOTA_PERIOD_US: u64 = 100_000;
/// The smallest quota the kubelet writes, in microseconds.
pub const MIN_QUOTA_US: u64 = 1_000;
/// The first Kubernetes minor release (1.x) that sets `memory.oom.group=1` on v2.
pub const OOM_GROUP_SINCE_MINOR: u32 = 28;

/// `cpu.shares` for a CPU request of `milli_cpu` (0 = no request).
pub fn milli_cpu_to_shares(milli_cpu: u64) -> u64 {
    if milli_cpu == 0 {
        return MIN_SHARES;
    }
    (milli_cpu.saturating_mul(1024) / 1000).clamp(MIN_SHARES, MAX_SHARES)
}

/// `cpu.cfs_quota_us` for a CPU limit of `milli_cpu` per `period_us`;
/// `None` (quota -1) when there is no limit.
pub fn milli_cpu_to_quota(milli_cpu: u64, period_us: u64) -> Option<u64> {
    if milli_cpu == 0 {
        return None;
    }
    Some((milli_cpu.saturating_mul(period_us) / 1000).max(MIN_QUOTA_US))
}

/// A container's resources as written in its pod spec (`None` = not set).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ContainerResources {
    /// `resources.requests.cpu`, in milliCPU.
    pub cpu_request_milli: Option<u64>,
    /// `resources.limits.cpu`, in milliCPU.
    pub cpu_limit_milli: Option<u64>,
    /// `resources.requests.memory`, in bytes.
    pub memory_request: Option<u64>,
    /// `resources.limits.memory`, in bytes.
    pub memory_limit: Option<u64>,
}

impl ContainerResources {
    /// The effective CPU request: a limit without a request defaults the request to it.
    pub fn cpu_request(&self) -> Option<u64> {
        self.cpu_request_milli.or(self.cpu_limit_milli)
    }

    /// The effective memory request, defaulted from the limit the same way.
    pub fn memory_request(&self) -> Option<u64> {
        self.memory_request.or(self.memory_limit)
    }
}

/// A pod's quality-of-service class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum QosClass {
    /// Every resource has a limit equal to its request.
    Guaranteed,
    /// Something is requested or limited, but not Guaranteed.
    Burstable,
    /// Nothing is requested or limited.
    BestEffort,
}

/// The QoS class of a single-container pod with these resources.
pub fn qos_class(r: &ContainerResources) -> QosClass {
    let cpu = (r.cpu_request(), r.cpu_limit_milli);
    let memory = (r.memory_request(), r.memory_limit);
    let nothing = |(request, limit): (Option<u64>, Option<u64>)| {
        request.unwrap_or(0) == 0 && limit.unwrap_or(0) == 0
    };
    let pinned = |(request, limit): (Option<u64>, Option<u64>)| {
        limit.is_some_and(|l| l > 0) && request == limit
    };
    if nothing(cpu) && nothing(memory) {
        QosClass::BestEffort
    } else if pinned(cpu) && pinned(memory) {
        QosClass::Guaranteed
    } else {
        QosClass::Burstable
    }
}

/// The cgroup values the kubelet (through runc) writes for one container.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CgroupValues {
    /// The pod's QoS class.
    pub qos: QosClass,
    /// v1 `cpu.shares`.
    pub shares: u64,
    /// v1 `cpu.cfs_quota_us`; `None` is -1 (unlimited).
    pub quota_us: Option<u64>,
    /// v1 `cpu.cfs_period_us`.
    pub period_us: u64,
    /// v2 `cpu.weight` as runc converts the shares.
    pub weight: Option<u64>,
    /// `memory.limit_in_bytes` / `memory.max`; `None` is unlimited.
    pub memory_limit: Option<u64>,
    /// v2 `memory.oom.group`.
    pub oom_group: bool,
}

/// The values for a container with `resources`, on Kubernetes 1.`minor`,
/// with runc's `formula`, on a cgroup v2 host when `v2`.
pub fn container_cgroup_values(
    resources: &ContainerResources,
    minor: u32,
    formula: WeightFormula,
    v2: bool,
) -> CgroupValues {
    let qos = qos_class(resources);
    let shares = match qos {
        QosClass::BestEffort => MIN_SHARES,
        _ => milli_cpu_to_shares(resources.cpu_request().unwrap_or(0)),
    };
    CgroupValues {
        qos,
        shares,
        quota_us: milli_cpu_to_quota(resources.cpu_limit_milli.unwrap_or(0), QUOTA_PERIOD_US),
        period_us: QUOTA_PERIOD_US,
        weight: shares_to_weight(shares, formula),
        memory_limit: resources.memory_limit.filter(|&m| m > 0),
        oom_group: v2 && minor >= OOM_GROUP_SINCE_MINOR,
    }
}

/// One file the kubelet (through runc) writes, and the rule it follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KubeletWrite {
    /// The cgroup file.
    pub file: &'static str,
    /// The value written.
    pub value: String,
    /// Why it has this value.
    pub rule: &'static Rule,
}

/// The files, in order, the kubelet writes for `values` on a v1 or (`v2`) v2
/// host whose runc uses `formula`.
pub fn container_writes(
    values: &CgroupValues,
    v2: bool,
    formula: WeightFormula,
) -> Vec<KubeletWrite> {
    let mut writes = Vec::new();
    let mut write = |file: &'static str, value: String, rule: &'static Rule| {
        writes.push(KubeletWrite { file, value, rule })
    };
    let weight_rule = match formula {
        WeightFormula::Quadratic => &rules::RUNC_WEIGHT_QUADRATIC,
        WeightFormula::Linear => &rules::RUNC_WEIGHT_LINEAR,
    };
    if v2 {
        if let Some(weight) = values.weight {
            write("cpu.weight", weight.to_string(), weight_rule);
        }
        let max = values
            .quota_us
            .map_or_else(|| "max".to_string(), |q| q.to_string());
        write(
            "cpu.max",
            format!("{max} {}", values.period_us),
            &rules::KUBELET_QUOTA,
        );
        let memory = values
            .memory_limit
            .map_or_else(|| "max".to_string(), |m| m.to_string());
        write("memory.max", memory, &rules::KUBELET_MEMORY);
        if values.oom_group {
            write(
                "memory.oom.group",
                "1".to_string(),
                &rules::KUBELET_OOM_GROUP,
            );
        }
    } else {
        write(
            "cpu.shares",
            values.shares.to_string(),
            &rules::KUBELET_SHARES,
        );
        write(
            "cpu.cfs_period_us",
            values.period_us.to_string(),
            &rules::KUBELET_QUOTA,
        );
        let quota = values
            .quota_us
            .map_or_else(|| "-1".to_string(), |q| q.to_string());
        write("cpu.cfs_quota_us", quota, &rules::KUBELET_QUOTA);
        let memory = values
            .memory_limit
            .map_or_else(|| "-1".to_string(), |m| m.to_string());
        write("memory.limit_in_bytes", memory, &rules::KUBELET_MEMORY);
    }
    writes
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_rows() {
        // (milliCPU, shares) straight from MilliCPUToShares.
        let rows = [
            (0, 2),
            (1, 2),
            (2, 2),
            (3, 3),
            (100, 102),
            (250, 256),
            (500, 512),
            (1000, 1024),
            (2000, 2048),
            (256_000, 262_144),
            (300_000, 262_144),
        ];
        for (milli, shares) in rows {
            assert_eq!(milli_cpu_to_shares(milli), shares, "{milli}m");
        }
    }

    #[test]
    fn quota_rows() {
        let rows = [
            (0, None),
            (1, Some(1000)),
            (5, Some(1000)),
            (10, Some(1000)),
            (11, Some(1100)),
            (250, Some(25_000)),
            (500, Some(50_000)),
            (2000, Some(200_000)),
        ];
        for (milli, quota) in rows {
            assert_eq!(
                milli_cpu_to_quota(milli, QUOTA_PERIOD_US),
                quota,
                "{milli}m"
            );
        }
    }

    #[test]
    fn container_rows() {
        let q = WeightFormula::Quadratic;
        let best_effort = ContainerResources::default();
        let v = container_cgroup_values(&best_effort, 30, q, true);
        assert_eq!(
            (v.qos, v.shares, v.quota_us, v.weight),
            (QosClass::BestEffort, 2, None, Some(1))
        );

        let guaranteed = ContainerResources {
            cpu_limit_milli: Some(1000),
            memory_limit: Some(128 << 20),
            ..Default::default()
        };
        let v = container_cgroup_values(&guaranteed, 30, q, true);
        assert_eq!(v.qos, QosClass::Guaranteed);
        assert_eq!(
            (v.shares, v.quota_us, v.weight, v.memory_limit, v.oom_group),
            (1024, Some(100_000), Some(100), Some(128 << 20), true)
        );
        assert!(!container_cgroup_values(&guaranteed, 27, q, true).oom_group);
        assert!(!container_cgroup_values(&guaranteed, 30, q, false).oom_group);
        assert_eq!(
            container_cgroup_values(&guaranteed, 30, WeightFormula::Linear, true).weight,
            Some(39)
        );

        let burstable = ContainerResources {
            cpu_request_milli: Some(250),
            cpu_limit_milli: Some(500),
            ..Default::default()
        };
        let v = container_cgroup_values(&burstable, 30, q, false);
        assert_eq!(
            (v.qos, v.shares, v.quota_us, v.memory_limit),
            (QosClass::Burstable, 256, Some(50_000), None)
        );
    }
}
