//! Identities, co-authorship graphs and the researcher audit.
//!
//! - [`names`]: folding and splitting person names; the blocking key.
//! - [`identity`]: one person id per authorship ([`resolve_identities`]), block by block when the blocks are
//!   apart ([`block_members`] → [`resolve_block`], the Spark job's), and its evaluation against ORCID
//!   ([`evaluate_against_orcid`]).
//! - [`graph`]: co-author, institution and country graphs (petgraph), components, Leiden communities.
//! - [`audit`]: which works in a researcher's record do not belong ([`audit_researcher`]); its planted-truth
//!   benchmark is in the `byline-bench` crate.
//!
//! Everything works on in-memory `&[Work]`; output is sorted and `serde::Serialize`.

pub mod audit;
pub mod graph;
pub mod identity;
pub mod names;
pub mod topics;

pub use audit::{AuditIndex, AuditOptions, AuditReport, AuditTarget, WorkAssessment, audit_researcher};
pub use graph::{CollaborationGraph, Communities, coauthor_graph, country_graph, institution_graph};
pub use identity::{
    BlockMember, DeclaredPerson, IdentityOptions, PairwiseEvaluation, Resolution, block_members,
    evaluate_against_orcid, resolve_block, resolve_identities, resolve_identities_declared,
};
