//! ImageLocality: nodes that already have the pod's images score higher.
//!
//! Contract: as kube-scheduler's `imagelocality`: per container image on the
//! node add size * nodesWithImage / totalNodes, clamp the sum to
//! [23 MiB, 1000 MiB * containers], score = 100 * (sum - 23 MiB) / (max - 23 MiB).

use super::resources::MAX_NODE_SCORE;
use crate::model::{NodeSpec, PodSpec, MIB};
use sim_core::SortedMap;

/// The sum below which an image score is 0 (23 MiB).
pub const MIN_THRESHOLD: i64 = 23 * MIB;
/// The sum per container above which an image score is 100 (1000 MiB).
pub const MAX_CONTAINER_THRESHOLD: i64 = 1000 * MIB;

/// ImageLocality's score of `node` for `pod`, with `image_nodes` counting the
/// nodes that have each image and `total_nodes` nodes in all.
pub fn image_score(
    pod: &PodSpec,
    node: &NodeSpec,
    image_nodes: &SortedMap<String, u32>,
    total_nodes: usize,
) -> i64 {
    if node.images.is_empty() || total_nodes == 0 {
        return 0;
    }
    let sum: i64 = pod
        .containers
        .iter()
        .filter_map(|c| node.images.iter().find(|(name, _)| *name == c.image))
        .map(|(name, size)| {
            let spread =
                f64::from(image_nodes.get(name).copied().unwrap_or(1)) / total_nodes as f64;
            (*size as f64 * spread) as i64
        })
        .sum();
    let max = MAX_CONTAINER_THRESHOLD * pod.containers.len().max(1) as i64;
    let clamped = sum.clamp(MIN_THRESHOLD, max);
    MAX_NODE_SCORE * (clamped - MIN_THRESHOLD) / (max - MIN_THRESHOLD)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Container;

    #[test]
    fn scores_scale_with_size_and_spread() {
        let node = |images: &[(&str, i64)]| NodeSpec {
            name: "n".into(),
            allocatable: Default::default(),
            max_pods: 110,
            labels: Vec::new(),
            taints: Vec::new(),
            images: images.iter().map(|(n, s)| (n.to_string(), *s)).collect(),
            unschedulable: false,
        };
        let mut pod = crate::testing_pod("p");
        pod.containers = vec![Container {
            image: "big".into(),
            cpu: None,
            memory: None,
            ephemeral: None,
        }];
        let counts: SortedMap<String, u32> =
            [("big".to_string(), 1), ("small".to_string(), 2)].into();
        // 500 MiB on 1 of 2 nodes: 250 MiB; 100 * (250 - 23) / (1000 - 23) = 23.
        assert_eq!(
            image_score(&pod, &node(&[("big", 500 * MIB)]), &counts, 2),
            23
        );
        // 1 of 1 node, 2000 MiB: clamped to 1000 MiB → 100.
        assert_eq!(
            image_score(&pod, &node(&[("big", 2000 * MIB)]), &counts, 1),
            100
        );
        // Small images stay under the 23 MiB threshold.
        assert_eq!(
            image_score(&pod, &node(&[("big", 40 * MIB)]), &counts, 2),
            0
        );
        assert_eq!(
            image_score(&pod, &node(&[("small", 900 * MIB)]), &counts, 2),
            0
        );
    }
}
