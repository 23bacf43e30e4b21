//! How CPU is split among groups at one instant (the fluid CFS model).
//!
//! Contract: at each node of the hierarchy the available CPU is divided among
//! the busy entities (child groups with runnable threads, and the node's own
//! threads at the default weight) in proportion to their weight, never giving
//! an entity more than it can use (one CPU per runnable thread); what one
//! cannot use goes to the others (work-conserving). Throttled groups take
//! nothing. All amounts are integers in micro-CPUs, so results are exact and
//! identical on every target.

/// One CPU, in the micro-CPU units of this module.
pub const MICRO_CPUS_PER_CPU: u64 = 1_000_000;

/// A claimant at one level: its weight and the most it can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Claim {
    /// `cpu.shares` or `cpu.weight` (a thread's own weight for tasks).
    pub weight: u64,
    /// The most it can use, in micro-CPUs.
    pub demand: u64,
}

/// Splits `capacity` among `claims` by weight, capping each at its demand and
/// handing what it cannot use to the others. Leftover micro-CPUs from integer
/// division go one each to the earliest uncapped claims, so the split is
/// deterministic and sums to `min(capacity, total demand)`.
pub fn water_fill(capacity: u64, claims: &[Claim]) -> Vec<u64> {
    let mut given = vec![0u64; claims.len()];
    let mut open: Vec<usize> = (0..claims.len())
        .filter(|&i| claims.get(i).is_some_and(|c| c.demand > 0 && c.weight > 0))
        .collect();
    let mut remaining = capacity;
    while !open.is_empty() && remaining > 0 {
        let total_weight: u128 = open.iter().map(|&i| u128::from(claims[i].weight)).sum();
        let fair = |i: usize| -> u64 {
            (u128::from(remaining) * u128::from(claims[i].weight) / total_weight) as u64
        };
        let (capped, uncapped): (Vec<usize>, Vec<usize>) =
            open.iter().partition(|&&i| claims[i].demand <= fair(i));
        if capped.is_empty() {
            let shares: Vec<u64> = open.iter().map(|&i| fair(i)).collect();
            let mut leftover = remaining - shares.iter().sum::<u64>();
            for (&i, share) in open.iter().zip(shares) {
                let extra = u64::from(leftover > 0 && share < claims[i].demand);
                leftover -= extra;
                given[i] = share + extra;
            }
            break;
        }
        for &i in &capped {
            given[i] = claims[i].demand;
            remaining -= claims[i].demand;
        }
        open = uncapped;
    }
    given
}

/// One group as the allocator sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CpuNode {
    /// The group's weight among its siblings.
    pub weight: u64,
    /// Runnable threads attached directly to this group.
    pub own_threads: u64,
    /// Indices of child groups, in a stable order.
    pub children: Vec<usize>,
    /// Whether the group is throttled (its subtree gets nothing).
    pub throttled: bool,
}

/// What each group got: for its own threads, and for its whole subtree.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Allocation {
    /// Micro-CPUs for the group's own threads.
    pub own: Vec<u64>,
    /// Micro-CPUs for the group and all its descendants.
    pub subtree: Vec<u64>,
    /// Whether, at some level, two or more busy siblings (child groups or the
    /// level's own threads) each got less than they could use, so weights
    /// decided the split.
    pub contended: bool,
}

/// Splits `cpus` among the tree `nodes` rooted at `root`; each thread counts
/// with `thread_weight` against its sibling groups.
pub fn allocate(nodes: &[CpuNode], root: usize, cpus: u64, thread_weight: u64) -> Allocation {
    let demand = demands(nodes, root);
    let mut out = Allocation {
        own: vec![0; nodes.len()],
        subtree: vec![0; nodes.len()],
        contended: false,
    };
    let capacity = cpus.saturating_mul(MICRO_CPUS_PER_CPU);
    let root_demand = demand.get(root).copied().unwrap_or(0);
    let mut stack = vec![(root, capacity.min(root_demand))];
    while let Some((index, budget)) = stack.pop() {
        let Some(node) = nodes.get(index) else {
            continue;
        };
        if node.throttled {
            // A throttled group and everything below it waits; that is not contention.
            continue;
        }
        out.subtree[index] = budget;
        let own_demand = node.own_threads.saturating_mul(MICRO_CPUS_PER_CPU);
        let mut claims = vec![Claim {
            weight: thread_weight.saturating_mul(node.own_threads),
            demand: own_demand,
        }];
        claims.extend(node.children.iter().map(|&c| Claim {
            weight: nodes.get(c).map_or(0, |n| n.weight),
            demand: demand.get(c).copied().unwrap_or(0),
        }));
        let given = water_fill(budget, &claims);
        // Weights decide something only where two or more siblings each got
        // less than they could use.
        let short = claims
            .iter()
            .zip(&given)
            .filter(|(c, g)| **g < c.demand)
            .count();
        out.contended |= short >= 2;
        out.own[index] = given[0];
        for (&child, &g) in node.children.iter().zip(&given[1..]) {
            stack.push((child, g));
        }
    }
    out
}

/// Each node's demand: one CPU per runnable thread in its subtree, zero if throttled.
fn demands(nodes: &[CpuNode], root: usize) -> Vec<u64> {
    let mut order = Vec::with_capacity(nodes.len());
    let mut stack = vec![root];
    while let Some(i) = stack.pop() {
        if let Some(node) = nodes.get(i) {
            order.push(i);
            stack.extend(node.children.iter().copied());
        }
    }
    let mut demand = vec![0u64; nodes.len()];
    for &i in order.iter().rev() {
        let node = &nodes[i];
        if node.throttled {
            continue;
        }
        let children = node
            .children
            .iter()
            .filter_map(|&c| demand.get(c))
            .fold(0, |sum, &d| u64::saturating_add(sum, d));
        demand[i] = node
            .own_threads
            .saturating_mul(MICRO_CPUS_PER_CPU)
            .saturating_add(children);
    }
    demand
}

#[cfg(test)]
mod tests {
    use super::*;

    const CPU: u64 = MICRO_CPUS_PER_CPU;

    fn leaf(weight: u64, threads: u64) -> CpuNode {
        CpuNode {
            weight,
            own_threads: threads,
            children: vec![],
            throttled: false,
        }
    }

    fn root(children: Vec<usize>) -> CpuNode {
        CpuNode {
            weight: 1024,
            own_threads: 0,
            children,
            throttled: false,
        }
    }

    #[test]
    fn shares_512_and_1024_on_one_cpu_split_one_third_two_thirds() {
        let nodes = vec![root(vec![1, 2]), leaf(512, 1), leaf(1024, 1)];
        let a = allocate(&nodes, 0, 1, 1024);
        // 1/3 and 2/3 of one CPU, the odd micro-CPU going to the first claim.
        assert_eq!(a.subtree[1], CPU / 3 + 1);
        assert_eq!(a.subtree[2], 2 * CPU / 3);
        assert_eq!(a.subtree[1] + a.subtree[2], CPU);
        assert!(a.contended);
    }

    #[test]
    fn an_idle_sibling_leaves_everything_to_the_busy_one() {
        let nodes = vec![root(vec![1, 2]), leaf(512, 1), leaf(1024, 0)];
        let a = allocate(&nodes, 0, 1, 1024);
        assert_eq!((a.subtree[1], a.subtree[2]), (CPU, 0));
        assert!(!a.contended);
    }

    #[test]
    fn shares_do_not_matter_without_contention() {
        let nodes = vec![root(vec![1, 2]), leaf(2, 1), leaf(262_144, 1)];
        let a = allocate(&nodes, 0, 2, 1024);
        assert_eq!((a.subtree[1], a.subtree[2]), (CPU, CPU));
        assert!(!a.contended);
    }

    #[test]
    fn a_thread_never_gets_more_than_one_cpu_and_the_rest_goes_to_others() {
        // weights 1:1 on 4 CPUs, but one group has a single thread.
        let nodes = vec![root(vec![1, 2]), leaf(1024, 1), leaf(1024, 8)];
        let a = allocate(&nodes, 0, 4, 1024);
        assert_eq!((a.subtree[1], a.subtree[2]), (CPU, 3 * CPU));
    }

    #[test]
    fn throttled_groups_get_nothing() {
        let mut busy = leaf(1024, 2);
        busy.throttled = true;
        let nodes = vec![root(vec![1, 2]), busy, leaf(1024, 2)];
        let a = allocate(&nodes, 0, 2, 1024);
        assert_eq!((a.subtree[1], a.subtree[2]), (0, 2 * CPU));
    }

    #[test]
    fn threads_under_a_throttled_group_wait_without_counting_as_contention() {
        let mut parent = root(vec![2]);
        parent.throttled = true;
        let nodes = vec![root(vec![1]), parent, leaf(1024, 2)];
        let a = allocate(&nodes, 0, 4, 1024);
        assert_eq!(a.subtree, vec![0, 0, 0]);
        assert!(!a.contended);
    }

    #[test]
    fn one_busy_group_with_more_threads_than_cpus_is_not_contention() {
        // 8 threads on 4 CPUs but no sibling competes: shares decide nothing.
        let nodes = vec![root(vec![1, 2]), leaf(512, 8), leaf(1024, 0)];
        let a = allocate(&nodes, 0, 4, 1024);
        assert_eq!(a.subtree[1], 4 * CPU);
        assert!(!a.contended);
    }

    #[test]
    fn contention_needs_two_siblings_each_short_of_their_demand() {
        // Weights 1:1 on 4 CPUs: the 1-thread group gets all it can use, only
        // the 8-thread group is short, so no weight decided anything.
        let nodes = vec![root(vec![1, 2]), leaf(1024, 1), leaf(1024, 8)];
        assert!(!allocate(&nodes, 0, 4, 1024).contended);
        // With a tiny weight the 1-thread group is short too: shares decide.
        let nodes = vec![root(vec![1, 2]), leaf(2, 1), leaf(262_144, 8)];
        let a = allocate(&nodes, 0, 4, 1024);
        assert!(a.subtree[1] < CPU);
        assert!(a.contended);
    }

    #[test]
    fn water_fill_is_exact() {
        let claims = [
            Claim {
                weight: 1,
                demand: 10,
            },
            Claim {
                weight: 1,
                demand: 10,
            },
            Claim {
                weight: 1,
                demand: 10,
            },
        ];
        assert_eq!(water_fill(10, &claims), vec![4, 3, 3]);
        assert_eq!(water_fill(100, &claims), vec![10, 10, 10]);
        assert_eq!(water_fill(0, &claims), vec![0, 0, 0]);
    }
}
