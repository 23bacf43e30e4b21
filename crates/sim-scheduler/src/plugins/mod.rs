//! The default plugins' PreFilter, Filter, PreScore, Score and
//! NormalizeScore for one pod.
//!
//! Contract: [`Prepared::new`] runs the PreFilters once per attempt (a
//! PreFilter that returns Skip turns its Filter off); [`Prepared::filter`]
//! runs the enabled Filters on one node in the default profile's order and
//! stops at the first rejection, as `RunFilterPlugins` does; pods nominated
//! to the node with at least this pod's priority count as if they were
//! there. Nothing here allocates per node.

pub mod images;
pub mod inter_pod;
pub mod normalize;
pub mod resources;
pub mod spread;
pub mod taints;

use crate::cluster::{Cluster, NodeId, NodeUse, PodId};
use crate::config::{Plugin, Profile};
use crate::model::{self, Pdb, PodSpec, Resources};
use crate::status::{Code, Reason, Rejection};

/// One plugin's status at a point that runs once per attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PluginStatus {
    /// The plugin.
    pub plugin: Plugin,
    /// What it returned.
    pub code: Code,
}

/// A pod prepared for one scheduling attempt: the PreFilters' results.
pub struct Prepared<'a> {
    /// The cluster as the attempt sees it.
    pub cluster: &'a Cluster,
    /// The profile.
    pub profile: &'a Profile,
    /// The pod.
    pub id: PodId,
    /// Its spec.
    pub pod: &'a PodSpec,
    /// The PodDisruptionBudgets (for preemption).
    pub pdbs: &'a [Pdb],
    request: Resources,
    node_unschedulable: bool,
    node_name: bool,
    taint_toleration: bool,
    fit: bool,
    node_affinity: bool,
    spread: Option<spread::SpreadFilter>,
    inter_pod: Option<inter_pod::AffinityFilter>,
}

/// The Filter plugins in the default profile's order.
pub const FILTERS: [Plugin; 7] = [
    Plugin::NodeUnschedulable,
    Plugin::NodeName,
    Plugin::TaintToleration,
    Plugin::NodeAffinity,
    Plugin::NodeResourcesFit,
    Plugin::PodTopologySpread,
    Plugin::InterPodAffinity,
];

impl<'a> Prepared<'a> {
    /// Runs the PreFilters of pod `id` and says what each returned.
    pub fn new(
        cluster: &'a Cluster,
        profile: &'a Profile,
        pdbs: &'a [Pdb],
        id: PodId,
    ) -> (Prepared<'a>, Vec<PluginStatus>) {
        let pod = cluster.pod(id);
        let mut statuses = Vec::new();
        let mut run = |plugin: Plugin, active: bool| {
            if profile.enabled(plugin) {
                let code = if active { Code::Success } else { Code::Skip };
                statuses.push(PluginStatus { plugin, code });
                active
            } else {
                false
            }
        };
        run(Plugin::NodeResourcesFit, true);
        let node_affinity = run(Plugin::NodeAffinity, taints::has_required_affinity(pod));
        let spread = if profile.enabled(Plugin::PodTopologySpread) {
            spread::prefilter(cluster, pod)
        } else {
            None
        };
        run(Plugin::PodTopologySpread, spread.is_some());
        let inter_pod = if profile.enabled(Plugin::InterPodAffinity) {
            inter_pod::prefilter(cluster, pod)
        } else {
            None
        };
        run(Plugin::InterPodAffinity, inter_pod.is_some());
        let prepared = Prepared {
            cluster,
            profile,
            id,
            pod,
            pdbs,
            request: pod.requests(),
            node_unschedulable: profile.enabled(Plugin::NodeUnschedulable),
            node_name: profile.enabled(Plugin::NodeName) && pod.node_name.is_some(),
            taint_toleration: profile.enabled(Plugin::TaintToleration),
            fit: profile.enabled(Plugin::NodeResourcesFit),
            node_affinity,
            spread,
            inter_pod,
        };
        (prepared, statuses)
    }

    /// The Filter plugins that run for this pod (enabled, not skipped).
    pub fn filters(&self) -> impl Iterator<Item = Plugin> + '_ {
        FILTERS.into_iter().filter(move |p| {
            self.profile.enabled(*p)
                && match p {
                    Plugin::NodeAffinity => self.node_affinity,
                    Plugin::PodTopologySpread => self.spread.is_some(),
                    Plugin::InterPodAffinity => self.inter_pod.is_some(),
                    _ => true,
                }
        })
    }

    /// Runs the Filters on `node` with `used` requested there; the first rejection, if any.
    pub fn filter_with(&self, node: NodeId, used: &NodeUse) -> Option<Rejection> {
        let spec = self.cluster.node(node);
        if self.node_unschedulable
            && spec.unschedulable
            && !model::tolerated(&self.pod.tolerations, &taints::unschedulable_taint())
        {
            return Some(unresolvable(
                Plugin::NodeUnschedulable,
                Reason::NodeUnschedulable,
            ));
        }
        if self.node_name && self.pod.node_name.as_ref().is_some_and(|n| *n != spec.name) {
            return Some(unresolvable(Plugin::NodeName, Reason::NodeName));
        }
        if self.taint_toleration && !spec.taints.is_empty() {
            if let Some(index) = taints::untolerated(self.pod, spec) {
                return Some(Rejection {
                    taint: u16::try_from(index).unwrap_or(u16::MAX),
                    ..unresolvable(Plugin::TaintToleration, Reason::UntoleratedTaint)
                });
            }
        }
        if self.node_affinity && !taints::affinity_matches(self.pod, spec) {
            return Some(unresolvable(Plugin::NodeAffinity, Reason::NodeAffinity));
        }
        if self.fit {
            let reasons = resources::fit_reasons(self.request, spec, used);
            if reasons != 0 {
                return Some(Rejection {
                    plugin: Plugin::NodeResourcesFit,
                    code: Code::Unschedulable,
                    reasons,
                    taint: 0,
                });
            }
        }
        if let Some(state) = &self.spread {
            if let Some(reason) = spread::filter(state, self.cluster, node) {
                let code = if reason == Reason::SpreadMissingLabel {
                    Code::UnschedulableAndUnresolvable
                } else {
                    Code::Unschedulable
                };
                return Some(Rejection::new(Plugin::PodTopologySpread, code, reason));
            }
        }
        if let Some(state) = &self.inter_pod {
            if let Some((code, reason)) = inter_pod::filter(state, self.cluster, node) {
                return Some(Rejection::new(Plugin::InterPodAffinity, code, reason));
            }
        }
        None
    }

    /// Runs the Filters on `node` as the cluster is, with the pods nominated
    /// there (of at least this pod's priority) counted as if placed.
    pub fn filter(&self, node: NodeId) -> Option<Rejection> {
        let used = &self.cluster.usage[node as usize];
        if !self.cluster.any_nominated() {
            return self.filter_with(node, used);
        }
        let mut with_nominated = NodeUse {
            requested: used.requested,
            non_zero: used.non_zero,
            pod_count: used.pod_count,
            pods: Vec::new(),
        };
        for other in self.cluster.nominated_on(node, self.pod.priority, self.id) {
            with_nominated.requested = with_nominated
                .requested
                .plus(self.cluster.pod(other).requests());
            with_nominated.pod_count += 1;
        }
        self.filter_with(node, &with_nominated)
    }
}

/// Fills `out` with `score` of each of `nodes`.
#[inline(always)]
fn each_node<F: Fn(&crate::model::NodeSpec, &NodeUse) -> i64 + ?Sized>(
    cluster: &Cluster,
    nodes: &[NodeId],
    out: &mut [i64],
    score: &F,
) {
    for (o, &n) in out.iter_mut().zip(nodes) {
        *o = score(cluster.node(n), &cluster.usage[n as usize]);
    }
}

fn unresolvable(plugin: Plugin, reason: Reason) -> Rejection {
    Rejection::new(plugin, Code::UnschedulableAndUnresolvable, reason)
}

/// The PreScores' results: which Score plugins run, and their counts.
pub struct Scoring<'a> {
    prepared: &'a Prepared<'a>,
    /// The Score plugins that run, with their weights, in profile order.
    pub plugins: Vec<(Plugin, i64)>,
    /// Every Score plugin's PreScore status (enabled ones).
    pub prescore: Vec<PluginStatus>,
    non_zero: Resources,
    requested: Resources,
    spread: Option<spread::SpreadScore>,
    inter_pod: Option<inter_pod::AffinityScore>,
}

impl<'a> Scoring<'a> {
    /// Runs the PreScores for the `feasible` nodes.
    pub fn new(prepared: &'a Prepared<'a>, feasible: &[NodeId]) -> Scoring<'a> {
        let (cluster, pod, profile) = (prepared.cluster, prepared.pod, prepared.profile);
        let spread = profile
            .enabled(Plugin::PodTopologySpread)
            .then(|| spread::prescore(cluster, pod, feasible))
            .flatten();
        let inter_pod = profile
            .enabled(Plugin::InterPodAffinity)
            .then(|| inter_pod::prescore(cluster, pod))
            .flatten();
        let mut plugins = Vec::new();
        let mut prescore = Vec::new();
        for plugin in Plugin::SCORE {
            if !profile.enabled(plugin) {
                continue;
            }
            let runs = match plugin {
                Plugin::NodeAffinity => !pod.preferred_terms.is_empty(),
                Plugin::PodTopologySpread => spread.is_some(),
                Plugin::InterPodAffinity => inter_pod.is_some(),
                Plugin::NodeResourcesBalancedAllocation => !pod.best_effort(),
                _ => true,
            };
            if plugin != Plugin::ImageLocality {
                let code = if runs { Code::Success } else { Code::Skip };
                prescore.push(PluginStatus { plugin, code });
            }
            if runs {
                plugins.push((plugin, profile.weight(plugin)));
            }
        }
        Scoring {
            prepared,
            plugins,
            prescore,
            non_zero: pod.non_zero_requests(),
            requested: pod.requests(),
            spread,
            inter_pod,
        }
    }

    /// The raw scores of Score plugin `plugin` on `nodes`, into `out`;
    /// PodTopologySpread marks in `ignored` (resized to the nodes) those it ignores.
    pub fn column(
        &self,
        plugin: Plugin,
        nodes: &[NodeId],
        out: &mut [i64],
        ignored: &mut Vec<bool>,
    ) {
        let cluster = self.prepared.cluster;
        let pod = self.prepared.pod;
        match plugin {
            Plugin::TaintToleration => each_node(cluster, nodes, out, &|spec, _| {
                taints::prefer_no_schedule_count(pod, spec)
            }),
            Plugin::NodeAffinity => each_node(cluster, nodes, out, &|spec, _| {
                taints::preferred_affinity_score(pod, spec)
            }),
            Plugin::NodeResourcesFit => {
                let strategy = &self.prepared.profile.strategy;
                each_node(cluster, nodes, out, &|spec, used| {
                    resources::fit_score(
                        strategy,
                        used.non_zero.plus(self.non_zero),
                        spec.allocatable,
                    )
                })
            }
            Plugin::PodTopologySpread => {
                ignored.clear();
                ignored.resize(nodes.len(), false);
                if let Some(state) = &self.spread {
                    for ((o, i), &n) in out.iter_mut().zip(ignored.iter_mut()).zip(nodes) {
                        match spread::score(state, cluster, n) {
                            Some(score) => *o = score,
                            None => *i = true,
                        }
                    }
                }
            }
            Plugin::InterPodAffinity => {
                if let Some(state) = &self.inter_pod {
                    for (o, &n) in out.iter_mut().zip(nodes) {
                        *o = inter_pod::score(state, cluster, n);
                    }
                }
            }
            Plugin::NodeResourcesBalancedAllocation => {
                each_node(cluster, nodes, out, &|spec, used| {
                    resources::balanced_score(used.requested.plus(self.requested), spec.allocatable)
                })
            }
            Plugin::ImageLocality => {
                let anywhere = pod
                    .containers
                    .iter()
                    .any(|c| cluster.image_nodes.contains_key(&c.image));
                if anywhere {
                    each_node(cluster, nodes, out, &|spec, _| {
                        images::image_score(pod, spec, &cluster.image_nodes, cluster.nodes.len())
                    })
                }
            }
            _ => {}
        }
    }

    /// NormalizeScore of `plugin` over one column of raw scores (`ignored` marks nodes the plugin ignores).
    pub fn normalize(plugin: Plugin, column: &mut [i64], ignored: &[bool]) {
        match plugin {
            Plugin::TaintToleration => normalize::default_normalize(column, true),
            Plugin::NodeAffinity => normalize::default_normalize(column, false),
            Plugin::PodTopologySpread => normalize::spread_normalize(column, ignored),
            Plugin::InterPodAffinity => normalize::min_max_normalize(column),
            _ => {}
        }
    }

    /// Whether `plugin` has a NormalizeScore extension.
    pub fn normalizes(plugin: Plugin) -> bool {
        matches!(
            plugin,
            Plugin::TaintToleration
                | Plugin::NodeAffinity
                | Plugin::PodTopologySpread
                | Plugin::InterPodAffinity
        )
    }
}
