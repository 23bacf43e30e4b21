//! The objects of a cluster as the scheduler sees them: resources, nodes,
//! pods, taints and tolerations, label selectors, PodDisruptionBudgets.
//!
//! Contract: plain, serializable data in Kubernetes' own units (milliCPU,
//! bytes); quantities are `i64` as in kube-scheduler. Matching functions
//! (tolerations, selectors) follow `k8s.io/api` and
//! `k8s.io/component-helpers` exactly.

use serde::{Deserialize, Serialize};

/// One MiB, the unit of the default memory request and of ImageLocality.
pub const MIB: i64 = 1 << 20;
/// The CPU a container without a CPU request counts for scoring (100m).
pub const DEFAULT_MILLI_CPU_REQUEST: i64 = 100;
/// The memory a container without a memory request counts for scoring (200 MiB).
pub const DEFAULT_MEMORY_REQUEST: i64 = 200 * MIB;

/// Amounts of the resources the scheduler counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Resources {
    /// CPU in milliCPU.
    pub milli_cpu: i64,
    /// Memory in bytes.
    pub memory: i64,
    /// Ephemeral storage in bytes.
    pub ephemeral: i64,
}

impl Resources {
    /// The sum of `self` and `other`.
    pub fn plus(self, other: Resources) -> Resources {
        Resources {
            milli_cpu: self.milli_cpu.saturating_add(other.milli_cpu),
            memory: self.memory.saturating_add(other.memory),
            ephemeral: self.ephemeral.saturating_add(other.ephemeral),
        }
    }

    /// `self` less `other`.
    pub fn minus(self, other: Resources) -> Resources {
        Resources {
            milli_cpu: self.milli_cpu.saturating_sub(other.milli_cpu),
            memory: self.memory.saturating_sub(other.memory),
            ephemeral: self.ephemeral.saturating_sub(other.ephemeral),
        }
    }

    /// Whether every amount is zero.
    pub fn is_zero(self) -> bool {
        self == Resources::default()
    }
}

/// A taint's effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Effect {
    /// New pods that do not tolerate it are not scheduled here.
    NoSchedule,
    /// The scheduler tries to avoid the node.
    PreferNoSchedule,
    /// Not scheduled here, and running pods are evicted.
    NoExecute,
}

impl Effect {
    /// The effect as Kubernetes spells it.
    pub fn name(self) -> &'static str {
        match self {
            Effect::NoSchedule => "NoSchedule",
            Effect::PreferNoSchedule => "PreferNoSchedule",
            Effect::NoExecute => "NoExecute",
        }
    }
}

/// A node taint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Taint {
    /// Its key.
    pub key: String,
    /// Its value (may be empty).
    pub value: String,
    /// Its effect.
    pub effect: Effect,
}

/// A pod toleration. `key: None` with `exists` tolerates every taint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Toleration {
    /// The taint key it matches; `None` matches every key (operator Exists only).
    pub key: Option<String>,
    /// Operator Exists (`true`) or Equal (`false`).
    pub exists: bool,
    /// The value it needs (operator Equal).
    pub value: String,
    /// The effect it matches; `None` matches every effect.
    pub effect: Option<Effect>,
}

impl Toleration {
    /// `ToleratesTaint` of `k8s.io/api/core/v1`.
    pub fn tolerates(&self, taint: &Taint) -> bool {
        if self.effect.is_some_and(|e| e != taint.effect) {
            return false;
        }
        match &self.key {
            None => self.exists,
            Some(key) if key != &taint.key => false,
            Some(_) => self.exists || self.value == taint.value,
        }
    }
}

/// Whether some toleration of `tolerations` tolerates `taint`.
pub fn tolerated(tolerations: &[Toleration], taint: &Taint) -> bool {
    tolerations.iter().any(|t| t.tolerates(taint))
}

/// A label selector operator of a node selector requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Operator {
    /// The label's value is one of the values.
    In,
    /// The label is absent or its value is none of the values.
    NotIn,
    /// The label is present.
    Exists,
    /// The label is absent.
    DoesNotExist,
    /// The label's value, an integer, is greater than the one value.
    Gt,
    /// The label's value, an integer, is less than the one value.
    Lt,
}

/// One requirement on a label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requirement {
    /// The label key.
    pub key: String,
    /// The operator.
    pub operator: Operator,
    /// The values it compares with.
    pub values: Vec<String>,
}

impl Requirement {
    /// Whether `labels` satisfy the requirement.
    pub fn matches(&self, labels: &[(String, String)]) -> bool {
        let value = label(labels, &self.key);
        let number = |v: &str| v.parse::<i64>().ok();
        match self.operator {
            Operator::In => value.is_some_and(|v| self.values.iter().any(|x| x == v)),
            Operator::NotIn => !value.is_some_and(|v| self.values.iter().any(|x| x == v)),
            Operator::Exists => value.is_some(),
            Operator::DoesNotExist => value.is_none(),
            Operator::Gt | Operator::Lt => {
                let (Some(have), Some(want)) = (
                    value.and_then(number),
                    self.values.first().and_then(|v| number(v)),
                ) else {
                    return false;
                };
                if self.operator == Operator::Gt {
                    have > want
                } else {
                    have < want
                }
            }
        }
    }
}

/// A node selector term: every requirement must hold.
pub type Term = Vec<Requirement>;

/// Whether every requirement of `term` holds for `labels` (an empty term matches nothing, as upstream).
pub fn term_matches(term: &Term, labels: &[(String, String)]) -> bool {
    !term.is_empty() && term.iter().all(|r| r.matches(labels))
}

/// The value of label `key`, if present.
pub fn label<'a>(labels: &'a [(String, String)], key: &str) -> Option<&'a str> {
    labels
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// Whether `labels` include every pair of `selector` (a `matchLabels`).
pub fn selector_matches(selector: &[(String, String)], labels: &[(String, String)]) -> bool {
    selector
        .iter()
        .all(|(k, v)| label(labels, k) == Some(v.as_str()))
}

/// A node of the cluster as declared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeSpec {
    /// Its name.
    pub name: String,
    /// What pods may request in all.
    pub allocatable: Resources,
    /// The most pods it runs.
    pub max_pods: i64,
    /// Its labels, sorted by key (`kubernetes.io/hostname` is always there).
    pub labels: Vec<(String, String)>,
    /// Its taints.
    pub taints: Vec<Taint>,
    /// The images it has pulled, with their sizes in bytes.
    pub images: Vec<(String, i64)>,
    /// `spec.unschedulable` (cordoned).
    pub unschedulable: bool,
}

/// One container of a pod: its image and its requests (`None` = not set).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Container {
    /// Its image.
    pub image: String,
    /// The CPU request in milliCPU.
    pub cpu: Option<i64>,
    /// The memory request in bytes.
    pub memory: Option<i64>,
    /// The ephemeral-storage request in bytes.
    pub ephemeral: Option<i64>,
}

/// How a topology spread constraint treats a pod that would break it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum WhenUnsatisfiable {
    /// A hard constraint: the Filter rejects nodes that would break it.
    DoNotSchedule,
    /// A soft constraint: the Score prefers nodes that keep the skew small.
    ScheduleAnyway,
}

/// A topology spread constraint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpreadConstraint {
    /// The largest difference allowed between domains.
    pub max_skew: i64,
    /// The node label whose values are the domains.
    pub topology_key: String,
    /// Hard or soft.
    pub when_unsatisfiable: WhenUnsatisfiable,
    /// The pods counted (`matchLabels`).
    pub selector: Vec<(String, String)>,
}

/// A pod (anti-)affinity term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PodTerm {
    /// The pods it is about (`matchLabels`).
    pub selector: Vec<(String, String)>,
    /// The node label that defines "together".
    pub topology_key: String,
    /// For preferred terms, the weight (1-100); 0 for required terms.
    pub weight: i64,
}

/// A pod as created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PodSpec {
    /// Its name (namespace `default`).
    pub name: String,
    /// Its labels.
    pub labels: Vec<(String, String)>,
    /// Its PriorityClass's name, if any.
    pub priority_class: Option<String>,
    /// Its priority (from the PriorityClass, 0 without).
    pub priority: i32,
    /// `preemptionPolicy: Never`.
    pub never_preempt: bool,
    /// Its containers.
    pub containers: Vec<Container>,
    /// Its tolerations.
    pub tolerations: Vec<Toleration>,
    /// `spec.nodeSelector`.
    pub node_selector: Vec<(String, String)>,
    /// Required node affinity terms (any one must match).
    pub required_terms: Vec<Term>,
    /// Preferred node affinity terms with their weights.
    pub preferred_terms: Vec<(i64, Term)>,
    /// Topology spread constraints.
    pub spread: Vec<SpreadConstraint>,
    /// Required pod affinity terms.
    pub affinity: Vec<PodTerm>,
    /// Required pod anti-affinity terms.
    pub anti_affinity: Vec<PodTerm>,
    /// Preferred pod affinity terms.
    pub preferred_affinity: Vec<PodTerm>,
    /// Preferred pod anti-affinity terms.
    pub preferred_anti_affinity: Vec<PodTerm>,
    /// `spec.schedulingGates`.
    pub gates: Vec<String>,
    /// `spec.nodeName`: a pod already placed, never queued.
    pub node_name: Option<String>,
    /// `terminationGracePeriodSeconds`.
    pub grace_s: u64,
    /// The gang it belongs to (the Permit plugin waits for all of it).
    pub gang: Option<String>,
}

impl PodSpec {
    /// A pod named `name` running `container`, at priority 0 with the
    /// default 30 s grace period, and no labels, constraints, gates or node.
    pub fn unconstrained(name: impl Into<String>, container: Container) -> PodSpec {
        PodSpec {
            name: name.into(),
            labels: Vec::new(),
            priority_class: None,
            priority: 0,
            never_preempt: false,
            containers: vec![container],
            tolerations: Vec::new(),
            node_selector: Vec::new(),
            required_terms: Vec::new(),
            preferred_terms: Vec::new(),
            spread: Vec::new(),
            affinity: Vec::new(),
            anti_affinity: Vec::new(),
            preferred_affinity: Vec::new(),
            preferred_anti_affinity: Vec::new(),
            gates: Vec::new(),
            node_name: None,
            grace_s: 30,
            gang: None,
        }
    }

    /// The sum of its containers' requests (unset = 0), as the Filter counts.
    pub fn requests(&self) -> Resources {
        self.containers.iter().fold(Resources::default(), |sum, c| {
            sum.plus(Resources {
                milli_cpu: c.cpu.unwrap_or(0),
                memory: c.memory.unwrap_or(0),
                ephemeral: c.ephemeral.unwrap_or(0),
            })
        })
    }

    /// Its requests with 100m CPU and 200 MiB for each container that sets
    /// none, as the resource scoring counts (`GetNonzeroRequests`).
    pub fn non_zero_requests(&self) -> Resources {
        self.containers.iter().fold(Resources::default(), |sum, c| {
            sum.plus(Resources {
                milli_cpu: c.cpu.unwrap_or(DEFAULT_MILLI_CPU_REQUEST),
                memory: c.memory.unwrap_or(DEFAULT_MEMORY_REQUEST),
                ephemeral: c.ephemeral.unwrap_or(0),
            })
        })
    }

    /// Whether no container requests anything (QoS class BestEffort).
    pub fn best_effort(&self) -> bool {
        self.requests().is_zero()
    }
}

/// A PodDisruptionBudget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pdb {
    /// Its name.
    pub name: String,
    /// The pods it covers (`matchLabels`).
    pub selector: Vec<(String, String)>,
    /// `minAvailable`, or else `maxUnavailable`.
    pub budget: Budget,
}

/// What a PodDisruptionBudget keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Budget {
    /// At least this many covered pods stay running.
    MinAvailable(i64),
    /// At most this many covered pods are down.
    MaxUnavailable(i64),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taint(key: &str, value: &str, effect: Effect) -> Taint {
        Taint {
            key: key.into(),
            value: value.into(),
            effect,
        }
    }

    #[test]
    fn tolerations_match_as_kubernetes_matches_them() {
        let t = taint("gpu", "true", Effect::NoSchedule);
        let tol =
            |key: Option<&str>, exists: bool, value: &str, effect: Option<Effect>| Toleration {
                key: key.map(str::to_string),
                exists,
                value: value.into(),
                effect,
            };
        let cases = [
            (tol(Some("gpu"), false, "true", None), true),
            (tol(Some("gpu"), false, "false", None), false),
            (tol(Some("gpu"), true, "", None), true),
            (tol(Some("gpu"), true, "", Some(Effect::NoExecute)), false),
            (tol(Some("gpu"), true, "", Some(Effect::NoSchedule)), true),
            (tol(None, true, "", None), true),
            (tol(None, false, "", None), false),
            (tol(Some("cpu"), true, "", None), false),
        ];
        for (toleration, expected) in cases {
            assert_eq!(toleration.tolerates(&t), expected, "{toleration:?}");
        }
    }

    #[test]
    fn requirements_follow_the_selector_operators() {
        let labels = vec![
            ("zone".to_string(), "a".to_string()),
            ("cores".to_string(), "8".to_string()),
        ];
        let req = |key: &str, operator, values: &[&str]| Requirement {
            key: key.into(),
            operator,
            values: values.iter().map(|v| v.to_string()).collect(),
        };
        let cases = [
            (req("zone", Operator::In, &["a", "b"]), true),
            (req("zone", Operator::In, &["b"]), false),
            (req("zone", Operator::NotIn, &["b"]), true),
            (req("rack", Operator::NotIn, &["b"]), true),
            (req("zone", Operator::Exists, &[]), true),
            (req("rack", Operator::DoesNotExist, &[]), true),
            (req("cores", Operator::Gt, &["4"]), true),
            (req("cores", Operator::Lt, &["4"]), false),
            (req("zone", Operator::Gt, &["4"]), false),
        ];
        for (r, expected) in cases {
            assert_eq!(r.matches(&labels), expected, "{r:?}");
        }
        assert!(
            !term_matches(&Vec::new(), &labels),
            "an empty term matches nothing"
        );
    }

    #[test]
    fn non_zero_requests_count_defaults_per_container() {
        let c = |cpu, memory| Container {
            image: "i".into(),
            cpu,
            memory,
            ephemeral: None,
        };
        let pod = PodSpec {
            containers: vec![c(Some(500), None), c(None, Some(MIB))],
            ..crate::testing_pod("p")
        };
        assert_eq!(
            pod.requests(),
            Resources {
                milli_cpu: 500,
                memory: MIB,
                ephemeral: 0
            }
        );
        assert_eq!(pod.non_zero_requests().milli_cpu, 600);
        assert_eq!(pod.non_zero_requests().memory, 201 * MIB);
        assert!(!pod.best_effort());
    }
}
