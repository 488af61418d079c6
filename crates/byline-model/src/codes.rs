//! Every finding code byline emits, in one table (as ruff keeps its rules): what it means, what it is about,
//! which part of byline emits it, and its known false positives. `byline explain CODE` prints an entry;
//! a test walks the source tree and fails on a code that is emitted but not registered, or registered twice.
//!
//! A code means one thing. When a signal changes meaning it gets a new code; an old code is never reused.

use serde::Serialize;

/// One registered finding code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CodeInfo {
    /// `COA001`: three capitals (the family) and three digits.
    pub code: &'static str,
    /// A short name.
    pub name: &'static str,
    /// What the finding is about: a work, an authorship, a person, an organisation.
    pub subject: &'static str,
    /// Which part of byline emits it (crate and module).
    pub emitted_by: &'static str,
    /// What it means and why it matters, in sentences.
    pub meaning: &'static str,
    /// When it fires on something innocent.
    pub false_positives: &'static str,
}

/// The entry of `code`, if registered (case-insensitive).
pub fn lookup(code: &str) -> Option<&'static CodeInfo> {
    CODES.iter().find(|c| c.code.eq_ignore_ascii_case(code.trim()))
}

/// Every code byline emits, sorted by code.
pub const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "AFF001",
        name: "affiliation new to the record",
        subject: "work",
        emitted_by: "byline-graph audit",
        meaning: "The researcher's institution or country on this work appears nowhere else in their record. Bought \
                  slots bring institutions and countries foreign to the researcher's history.",
        false_positives: "A move, a sabbatical or visiting post, a first paper at a new employer.",
    },
    CodeInfo {
        code: "AFF002",
        name: "undisclosed affiliation",
        subject: "organisation",
        emitted_by: "byline-entities disclosure",
        meaning: "An organisation in the researcher's bylines that their disclosure (file or ORCID record) does not \
                  name, with the works that show it.",
        false_positives: "Names written differently from the disclosure without a ROR registry to relate them; \
                          hospital and university parts of one institution; an out-of-date disclosure.",
    },
    CodeInfo {
        code: "AFF003",
        name: "institutions in two countries on one work",
        subject: "authorship",
        emitted_by: "byline-entities disclosure",
        meaning: "One author lists institutions in two or more countries on the same work: a dual appointment, \
                  which research-security policies ask to be disclosed.",
        false_positives: "Joint institutes with a campus abroad; an address that names a country twice.",
    },
    CodeInfo {
        code: "AFF004",
        name: "e-mail outside the listed institutions",
        subject: "authorship",
        emitted_by: "byline-entities disclosure",
        meaning: "The corresponding e-mail's domain belongs to none of the institutions listed on the byline, or is \
                  webmail.",
        false_positives: "Personal addresses used for convenience; institutions with several domains not all in \
                          ROR.",
    },
    CodeInfo {
        code: "AFF005",
        name: "declared affiliation never seen",
        subject: "organisation",
        emitted_by: "byline-entities disclosure",
        meaning: "Information: an affiliation the disclosure declares appears on none of the works read.",
        false_positives: "Appointments without publications yet; works outside the corpus.",
    },
    CodeInfo {
        code: "AFF006",
        name: "affiliation copied from an older paper",
        subject: "work",
        emitted_by: "byline-graph audit",
        meaning: "The researcher's institution here was last used years earlier, while their works of the same \
                  period list other institutions: a string copied from an older paper after they moved.",
        false_positives: "An honorary or second appointment listed only sometimes; a paper held in review for years.",
    },
    CodeInfo {
        code: "AUD001",
        name: "audited work",
        subject: "work",
        emitted_by: "byline report (the audit's combined score of a work)",
        meaning: "A work of the audited record with its combined score and rank: the reasons are the signals that \
                  weighed for and against it (COA, AFF, TOP, ROL, VEN, ORC codes).",
        false_positives: "Those of the signals it combines.",
    },
    CodeInfo {
        code: "AUD002",
        name: "more works under another ORCID",
        subject: "person",
        emitted_by: "byline-graph audit",
        meaning: "In a name-only audit: works with the same name carry an ORCID and are linked to the record by \
                  co-authors; rerun with --orcid to audit that person.",
        false_positives: "Two people of the same name in one group.",
    },
    CodeInfo {
        code: "BYL001",
        name: "author count far above the venue's norm",
        subject: "work",
        emitted_by: "byline-detect byline",
        meaning: "The byline is longer than Tukey's far-out fence of the venue's author counts: sold slots lengthen \
                  bylines.",
        false_positives: "Consortium and multi-centre papers in venues of small teams.",
    },
    CodeInfo {
        code: "BYL002",
        name: "webmail on an institutional byline",
        subject: "authorship",
        emitted_by: "byline-detect byline",
        meaning: "The corresponding author writes from a webmail address on a byline of institutional addresses.",
        false_positives: "Researchers without an institutional address, or who prefer a personal one.",
    },
    CodeInfo {
        code: "BYL003",
        name: "many countries on a small byline",
        subject: "work",
        emitted_by: "byline-detect byline",
        meaning: "Almost every author of a small byline is in a different country: mill papers assemble buyers from \
                  many countries.",
        false_positives: "International networks and training programmes.",
    },
    CodeInfo {
        code: "BYL004",
        name: "venue burst",
        subject: "work",
        emitted_by: "byline-detect byline",
        meaning: "The work is in a month when its venue published far more than its usual months: special issues \
                  captured by mills show as bursts.",
        false_positives: "Genuine special issues and conference proceedings.",
    },
    CodeInfo {
        code: "BYL005",
        name: "author count far above the researcher's norm",
        subject: "work",
        emitted_by: "byline-graph audit",
        meaning: "The work's byline is several times the researcher's median author count (was BYL001 in the audit \
                  before this code existed; BYL001 is the venue's norm).",
        false_positives: "A researcher's first consortium paper.",
    },
    CodeInfo {
        code: "COA001",
        name: "no co-author seen again",
        subject: "work",
        emitted_by: "byline-graph audit",
        meaning: "No co-author of the work appears in any other work of the record, nor has published with the \
                  researcher's collaborators (2-hop): bought author slots show up exactly once.",
        false_positives: "A genuine one-off collaboration; works whose co-authors' other papers are outside the \
                          corpus.",
    },
    CodeInfo {
        code: "COA002",
        name: "co-authors from many unseen countries",
        subject: "work",
        emitted_by: "byline-graph audit",
        meaning: "Co-authors from many countries, none of which recurs in the record.",
        false_positives: "Large international studies.",
    },
    CodeInfo {
        code: "COA003",
        name: "co-authors far from the researcher",
        subject: "work",
        emitted_by: "byline-graph audit",
        meaning: "No co-author is at an institution of the record or in a country where the researcher worked: \
                  colleagues met once are usually local, bought slots are not.",
        false_positives: "Remote collaborations started at a conference.",
    },
    CodeInfo {
        code: "COA004",
        name: "bridge without ties",
        subject: "work",
        emitted_by: "byline-graph audit",
        meaning: "The work shares exactly one recurring co-author (the bridge) with the record, and the bridge has \
                  no other work with the other authors: a broker who put the researcher's name on another group's \
                  paper next to their own.",
        false_positives: "A first visit abroad with a colleague; groups whose other works are outside the corpus.",
    },
    CodeInfo {
        code: "COA005",
        name: "the byline's own history",
        subject: "work",
        emitted_by: "byline-graph audit",
        meaning: "With a bridge, the other authors publish together elsewhere without the researcher or the bridge: \
                  the byline is their group's with names added. Ranks, never flags alone.",
        false_positives: "A genuine collaboration with an established group.",
    },
    CodeInfo {
        code: "COA006",
        name: "new collaboration",
        subject: "work",
        emitted_by: "byline-graph audit",
        meaning: "Evidence against: a new team that publishes again with the researcher, is at their institution or \
                  city, or continues their topic. Lowers the score and caps the severity.",
        false_positives: "A mill slot sold in the researcher's own field and city.",
    },
    CodeInfo {
        code: "FUN001",
        name: "undisclosed funder",
        subject: "organisation",
        emitted_by: "byline-entities disclosure",
        meaning: "A funder in the works' funding data or statements that the disclosure does not name.",
        false_positives: "Funders of co-authors named in a shared statement; funder names written differently.",
    },
    CodeInfo {
        code: "FUN002",
        name: "programme of concern mentioned",
        subject: "work",
        emitted_by: "byline-entities disclosure",
        meaning: "A programme of concern (talent programmes and the like, from a configurable list) is mentioned in \
                  a funding statement or acknowledgement, quoted.",
        false_positives: "A co-author's funding; a mention that is not a participation.",
    },
    CodeInfo {
        code: "FUN003",
        name: "declared funder never seen",
        subject: "organisation",
        emitted_by: "byline-entities disclosure",
        meaning: "Information: a funder the disclosure declares appears in none of the works read.",
        false_positives: "Grants without publications yet.",
    },
    CodeInfo {
        code: "LST001",
        name: "affiliation on a screening list",
        subject: "authorship",
        emitted_by: "byline-entities screening",
        meaning: "The author's own affiliation names an organisation on a loaded screening list, with the list, \
                  entry, alias and the part of the string, and what the list governs. An item to review and \
                  disclose, not a finding of wrongdoing.",
        false_positives: "Organisations with similar names (the matcher refuses longer names and other countries); \
                          lists that name an organisation's part.",
    },
    CodeInfo {
        code: "LST002",
        name: "co-author's affiliation on a screening list",
        subject: "authorship",
        emitted_by: "byline-entities screening (audit)",
        meaning: "On the audited researcher's work, a co-author's affiliation names a listed organisation: a \
                  collaboration, not an affiliation of the researcher; co-authorship alone is no export and no \
                  wrongdoing.",
        false_positives: "As LST001.",
    },
    CodeInfo {
        code: "MIL001",
        name: "paper-mill classifier",
        subject: "work",
        emitted_by: "byline-detect classifier",
        meaning: "The paper-mill classifier's calibrated probability is above the threshold, with the features that \
                  weighed most.",
        false_positives: "Ordinary papers in the topics mills favour (see BENCHMARKS.md for measured rates).",
    },
    CodeInfo {
        code: "ORC001",
        name: "not in the researcher's ORCID works",
        subject: "work",
        emitted_by: "byline-graph audit",
        meaning: "The work carries the researcher's name but is not in their ORCID works list (or, with a researchmap \
                  record, its list of published papers), though the list holds most of the record's works \
                  published before it last changed.",
        false_positives: "A researcher who adds works in batches; a work ORCID could not group with its DOI.",
    },
    CodeInfo {
        code: "ORC002",
        name: "claimed in the researcher's ORCID works",
        subject: "work",
        emitted_by: "byline-graph audit",
        meaning: "Evidence for: the work is in the ORCID works list, added by the researcher or by an organisation \
                  they authorised (said which), or in the researchmap record's published papers.",
        false_positives: "A work added by an organisation's automatic feed without the researcher's review.",
    },
    CodeInfo {
        code: "PRO001",
        name: "hyper-prolific year",
        subject: "person",
        emitted_by: "byline-graph audit",
        meaning: "A year with at least 73 works, one every five days (Ioannidis et al. 2018).",
        false_positives: "Consortium members; records that merge two people.",
    },
    CodeInfo {
        code: "RET001",
        name: "retracted",
        subject: "work",
        emitted_by: "byline-detect retraction",
        meaning: "The work is retracted: its own record says so, or Retraction Watch lists it (not reinstated).",
        false_positives: "None as a fact; a retraction for honest error is not misconduct.",
    },
    CodeInfo {
        code: "RET002",
        name: "cites a retracted work",
        subject: "work",
        emitted_by: "byline-detect retraction",
        meaning: "The work cites works that are retracted.",
        false_positives: "Citations made before the retraction, or that discuss it.",
    },
    CodeInfo {
        code: "RET003",
        name: "cites a paper-mill retraction",
        subject: "work",
        emitted_by: "byline-detect retraction",
        meaning: "The work cites works retracted for paper-mill reasons.",
        false_positives: "Citations made before the retraction, or that discuss it.",
    },
    CodeInfo {
        code: "RET004",
        name: "author with an earlier paper-mill retraction",
        subject: "authorship",
        emitted_by: "byline-detect retraction",
        meaning: "An author's name is on an earlier paper-mill retraction in Retraction Watch. Name match only.",
        false_positives: "Common names: confirm the identity before acting.",
    },
    CodeInfo {
        code: "ROL001",
        name: "middle author outside their topic",
        subject: "work",
        emitted_by: "byline-graph audit",
        meaning: "A middle author, not corresponding, on a work far from the researcher's topic: bought and gifted \
                  slots sit in the middle of someone else's paper. Supporting only.",
        false_positives: "Consortium papers; a statistician's or imaging specialist's work in other fields.",
    },
    CodeInfo {
        code: "TOP001",
        name: "topic far from the record",
        subject: "work",
        emitted_by: "byline-graph audit",
        meaning: "The work's topic (TF-IDF over title, abstract, MeSH, keywords) is far from the rest of the record.",
        false_positives: "A change of field; methods papers applied elsewhere.",
    },
    CodeInfo {
        code: "TOR001",
        name: "tortured phrases",
        subject: "work",
        emitted_by: "byline-detect tortured",
        meaning: "The text uses tortured phrases (paraphraser output such as 'counterfeit consciousness' for \
                  'artificial intelligence'), graded by density.",
        false_positives: "Non-native writing that happens to match a lexicon entry; phrases the allow-list misses.",
    },
    CodeInfo {
        code: "TPL001",
        name: "template family",
        subject: "work",
        emitted_by: "byline-detect template",
        meaning: "The work belongs to a family of near-identical masked texts (same skeleton, swapped gene, disease \
                  or material) found with MinHash and LSH.",
        false_positives: "Series of genuine papers from one lab written from one template; registered reports.",
    },
    CodeInfo {
        code: "VEN001",
        name: "burst in an unused venue",
        subject: "work",
        emitted_by: "byline-graph audit",
        meaning: "Several of the researcher's works in one venue within one year, in a venue otherwise unused.",
        false_positives: "A special issue the researcher edited; a new field's main journal.",
    },
    CodeInfo {
        code: "VEN002",
        name: "paper-mill signals on the work or its group",
        subject: "work",
        emitted_by: "byline-graph audit",
        meaning: "Findings of the paper-mill detectors (TPL001, TOR001, RET00x, MIL001) on the work or on its \
                  group's own works feed the audit score.",
        false_positives: "Those of the detectors; a group with one retracted paper.",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_sorted_and_well_formed() {
        for pair in CODES.windows(2) {
            assert!(pair[0].code < pair[1].code, "{} then {}", pair[0].code, pair[1].code);
        }
        for c in CODES {
            let b = c.code.as_bytes();
            assert!(b.len() == 6 && b[..3].iter().all(u8::is_ascii_uppercase) && b[3..].iter().all(u8::is_ascii_digit));
            assert!(!c.meaning.is_empty() && !c.false_positives.is_empty() && !c.name.is_empty(), "{}", c.code);
        }
        assert_eq!(lookup("coa004").map(|c| c.code), Some("COA004"));
        assert!(lookup("XYZ999").is_none());
    }
}
