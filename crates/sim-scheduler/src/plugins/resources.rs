//! NodeResourcesFit and NodeResourcesBalancedAllocation.
//!
//! Contract: integer arithmetic exactly as kube-scheduler's
//! `noderesources` package (`least_allocated.go`, `most_allocated.go`,
//! `requested_to_capacity_ratio.go`, `balanced_allocation.go`); scores land in
//! 0..=100. CPU and memory weigh 1 each.

use crate::cluster::NodeUse;
use crate::config::Strategy;
use crate::model::{NodeSpec, Resources};
use crate::status::Reason;

/// The highest node score.
pub const MAX_NODE_SCORE: i64 = 100;

/// The Filter's reasons (as [`Reason`] bits) why `request` does not fit on
/// `node` with `used` already requested there: `fitsRequest`.
pub fn fit_reasons(request: Resources, node: &NodeSpec, used: &NodeUse) -> u16 {
    let mut reasons = 0;
    if used.pod_count + 1 > node.max_pods {
        reasons |= Reason::TooManyPods.bit();
    }
    if request.is_zero() {
        return reasons;
    }
    let free = node.allocatable.minus(used.requested);
    if request.milli_cpu > 0 && request.milli_cpu > free.milli_cpu {
        reasons |= Reason::InsufficientCpu.bit();
    }
    if request.memory > 0 && request.memory > free.memory {
        reasons |= Reason::InsufficientMemory.bit();
    }
    if request.ephemeral > 0 && request.ephemeral > free.ephemeral {
        reasons |= Reason::InsufficientEphemeral.bit();
    }
    reasons
}

/// `leastRequestedScore`: (capacity - requested) * 100 / capacity, 0 when it does not fit.
pub fn least_requested(requested: i64, capacity: i64) -> i64 {
    if capacity == 0 || requested > capacity {
        return 0;
    }
    (capacity - requested) * MAX_NODE_SCORE / capacity
}

/// `mostRequestedScore`: min(requested, capacity) * 100 / capacity.
pub fn most_requested(requested: i64, capacity: i64) -> i64 {
    if capacity == 0 {
        return 0;
    }
    requested.min(capacity) * MAX_NODE_SCORE / capacity
}

/// `buildBrokenLinearFunction` over `shape` (utilization, score 0-10 scaled to 0-100) at utilization `p`.
pub fn broken_linear(shape: &[(i64, i64)], p: i64) -> i64 {
    let scaled = |s: i64| s * (MAX_NODE_SCORE / 10);
    for (i, &(utilization, score)) in shape.iter().enumerate() {
        if p <= utilization {
            if i == 0 {
                return scaled(score);
            }
            let (u0, s0) = shape[i - 1];
            let (s0, s1) = (scaled(s0), scaled(score));
            return s0 + (s1 - s0) * (p - u0) / (utilization - u0).max(1);
        }
    }
    shape.last().map_or(0, |&(_, s)| scaled(s))
}

/// NodeResourcesFit's Score of a node whose pods with this one request
/// `requested` (with the non-zero defaults) of `allocatable`.
pub fn fit_score(strategy: &Strategy, requested: Resources, allocatable: Resources) -> i64 {
    let pairs = [
        (requested.milli_cpu, allocatable.milli_cpu),
        (requested.memory, allocatable.memory),
    ];
    match strategy {
        Strategy::LeastAllocated => {
            pairs
                .iter()
                .map(|&(r, c)| least_requested(r, c))
                .sum::<i64>()
                / 2
        }
        Strategy::MostAllocated => {
            pairs
                .iter()
                .map(|&(r, c)| most_requested(r, c))
                .sum::<i64>()
                / 2
        }
        Strategy::RequestedToCapacityRatio(shape) => {
            let sum: i64 = pairs
                .iter()
                .map(|&(r, c)| {
                    if c == 0 || r > c {
                        broken_linear(shape, 100)
                    } else {
                        broken_linear(shape, r * 100 / c)
                    }
                })
                .sum();
            // math.Round(nodeScore / weightSum) with weightSum 2.
            (sum + 1) / 2
        }
    }
}

/// NodeResourcesBalancedAllocation's Score: fractions requested/allocatable
/// capped at 1; with two resources std = |f1 - f2| / 2; int((1 - std) * 100).
pub fn balanced_score(requested: Resources, allocatable: Resources) -> i64 {
    let fraction = |r: i64, c: i64| {
        if c == 0 {
            1.0
        } else {
            (r as f64 / c as f64).min(1.0)
        }
    };
    let cpu = fraction(requested.milli_cpu, allocatable.milli_cpu);
    let memory = fraction(requested.memory, allocatable.memory);
    let std = (cpu - memory).abs() / 2.0;
    ((1.0 - std) * MAX_NODE_SCORE as f64) as i64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::MIB;

    const GI: i64 = 1024 * MIB;

    fn r(milli_cpu: i64, memory: i64) -> Resources {
        Resources {
            milli_cpu,
            memory,
            ephemeral: 0,
        }
    }

    #[test]
    fn the_worked_example_of_semantics_section_3() {
        // pod 500m/1Gi; A 2000m/4Gi with 500m/1Gi requested; B 4000m/4Gi with 1000m/3Gi.
        let pod = r(500, GI);
        let (a_alloc, a_used) = (r(2000, 4 * GI), r(500, GI));
        let (b_alloc, b_used) = (r(4000, 4 * GI), r(1000, 3 * GI));
        let least = Strategy::LeastAllocated;
        assert_eq!(fit_score(&least, a_used.plus(pod), a_alloc), 50);
        assert_eq!(fit_score(&least, b_used.plus(pod), b_alloc), 31);
        assert_eq!(least_requested(1500, 4000), 62);
        assert_eq!(least_requested(4 * GI, 4 * GI), 0);
        assert_eq!(balanced_score(a_used.plus(pod), a_alloc), 100);
        assert_eq!(balanced_score(b_used.plus(pod), b_alloc), 68);
    }

    #[test]
    fn least_and_most_allocated_per_resource() {
        let cases = [
            // requested, capacity, least, most
            (0, 4000, 100, 0),
            (1000, 4000, 75, 25),
            (3999, 4000, 0, 99),
            (4000, 4000, 0, 100),
            (5000, 4000, 0, 100),
            (1, 3, 66, 33),
            (10, 0, 0, 0),
        ];
        for (req, cap, least, most) in cases {
            assert_eq!(least_requested(req, cap), least, "least {req}/{cap}");
            assert_eq!(most_requested(req, cap), most, "most {req}/{cap}");
        }
        // Integer division of the sum, not a rounded mean: (62 + 33) / 2 = 47.
        let most = Strategy::MostAllocated;
        assert_eq!(fit_score(&most, r(2500, 1), r(4000, 3)), 47);
    }

    #[test]
    fn requested_to_capacity_ratio_follows_the_broken_line() {
        let shape = [(0, 0), (100, 10)];
        let cases = [(0, 0), (50, 50), (33, 33), (100, 100), (120, 100)];
        for (p, expected) in cases {
            assert_eq!(broken_linear(&shape, p), expected, "at {p}");
        }
        let descending = [(0, 10), (50, 4), (100, 0)];
        assert_eq!(broken_linear(&descending, 25), 70);
        assert_eq!(broken_linear(&descending, 75), 20);
        let ratio = Strategy::RequestedToCapacityRatio(shape.to_vec());
        // cpu 25 %, memory 50 %: round((25 + 50) / 2) = 38.
        assert_eq!(fit_score(&ratio, r(1000, 2), r(4000, 4)), 38);
    }

    #[test]
    fn the_filter_names_every_resource_short() {
        let node = NodeSpec {
            name: "n".into(),
            allocatable: r(1000, GI),
            max_pods: 2,
            labels: Vec::new(),
            taints: Vec::new(),
            images: Vec::new(),
            unschedulable: false,
        };
        let used = NodeUse {
            requested: r(600, GI / 2),
            non_zero: r(600, GI / 2),
            pod_count: 2,
            pods: Vec::new(),
        };
        let reasons = fit_reasons(r(500, GI), &node, &used);
        let want = Reason::TooManyPods.bit()
            | Reason::InsufficientCpu.bit()
            | Reason::InsufficientMemory.bit();
        assert_eq!(reasons, want);
        assert_eq!(fit_reasons(r(400, GI / 2), &node, &NodeUse::default()), 0);
        assert_eq!(
            fit_reasons(Resources::default(), &node, &used),
            Reason::TooManyPods.bit(),
            "a BestEffort pod is only counted"
        );
    }
}
