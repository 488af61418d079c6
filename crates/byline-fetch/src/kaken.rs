//! The KAKEN researcher record (NII's KAKEN / NRID researcher API, JSON): a Japanese researcher's own
//! declared side — e-Rad researcher number, names in kanji, kana and romaji, affiliation history, KAKENHI
//! projects with their members, and research products.
//!
//! Users download it from the KAKEN researcher API (NRID, the NII Researcher Database: a researcher page's
//! JSON export, or the API's search output); see `datasets/README.md`. Nothing here touches the network.
//!
//! Schema read (every field optional; a missing one is `None` or empty, never invented):
//!
//! ```text
//! {"researchers": [ {
//!    "id:person:erad": ["50283734"],                      e-Rad researcher number
//!    "accn": "id:person:kakenhi**1120958",                 KAKEN's own person id
//!    "name":  {humanReadableValue: [{text, lang}], name:familyName: [...], name:givenName: [...], since, until},
//!    "names": [ same shape, with sequence ],               earlier names (maiden names included)
//!    "affiliations:current" / "affiliations:history": [ {sequence, since, until,
//!        affiliation:institution: {humanReadableValue: [{text, lang}], id:institution:erad | id:institution:mext},
//!        affiliation:department, affiliation:jobTitle} ],
//!    "work:project": [ {recordSource: {id:project:kakenhi: ["KAKENHI-PROJECT-09268224"]},
//!        role: [{code:roleInProject:kakenhi}], since/until: {fiscal:year: {commonEra:year: "1997"}},
//!        title, category, institution: [{humanReadableValue: [{text, lang, niiCode}]}],
//!        member: [ {sequence, role, id:person:erad, institution:name, department:name, jobTitle, person:name} ]} ],
//!    "work:product": [ {resourceType, title:main: {text, lang}, date:publicationDate: {commonEra:year},
//!        creator:unparsed: [{text}], id:doi: [{value}], relation:relatedResource} ] } ] }
//! ```
//!
//! The format is recognised on positive evidence only: a top-level object with a `researchers` array whose
//! records carry KAKEN's keys (`id:person:erad`, `work:project`, `affiliations:history`, a `name` with
//! `humanReadableValue`, an `accn` of `id:person:kakenhi`). Anything else is an error naming what was
//! expected; broken JSON is an error with its line and column. Within the array, an element that is not a
//! KAKEN researcher is rejected with its index and reason, so records in = records kept + records rejected;
//! a field of the wrong type inside a kept record is left out and counted in that record's `problems`.
//!
//! `lang` tags are kept as given but not trusted: KAKEN tags romanised names and English titles `ja`. The
//! script of each name is read from its characters ([`NameScript::of`]); comparing names across scripts is
//! `byline_norm::japanese`'s job (kanji meets romaji only through the record's own variants).

use serde::Serialize;
use serde_json::{Map, Value};

/// Keys only a KAKEN researcher record has: one of them makes an array element a researcher.
pub const KAKEN_RESEARCHER_KEYS: &[&str] =
    &["id:person:erad", "work:project", "work:product", "affiliations:history", "affiliations:current"];

/// A KAKEN researcher file read: the researchers kept and the elements rejected.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct KakenFile {
    pub researchers: Vec<KakenResearcher>,
    pub rejected: Vec<RejectedRecord>,
}

impl KakenFile {
    /// Elements of the `researchers` array read: kept + rejected.
    pub fn records_seen(&self) -> usize {
        self.researchers.len() + self.rejected.len()
    }
}

/// An element of the `researchers` array that is not a KAKEN researcher record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RejectedRecord {
    /// Its index in the `researchers` array.
    pub index: usize,
    pub reason: String,
}

/// A text with the `lang` tag KAKEN gave it (kept as given; not trusted).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Text {
    pub text: String,
    pub lang: Option<String>,
}

/// What a name text is: a full name, or a family or given name alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum NamePart {
    Full,
    Family,
    Given,
}

/// One name of a person as KAKEN writes it, with its script read from the characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NameVariant {
    pub text: String,
    /// The `lang` tag as given (`ja`, `ja-Kana`, `en`), not trusted.
    pub lang: Option<String>,
    /// The script from the characters: kanji, kana, Latin.
    pub script: NameScript,
    pub part: NamePart,
    /// Which name object it came from: 0 the current `name`, then `names` in order.
    pub source: usize,
}

/// A name's writing system, from its characters (KAKEN's `lang` tags are unreliable).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum NameScript {
    Kanji,
    Kana,
    Latin,
    Other,
}

impl NameScript {
    /// The script of a text from its characters: any Han character is kanji, else any kana is kana, else any
    /// ASCII letter (after compatibility decomposition of full-width forms) is Latin.
    pub fn of(s: &str) -> NameScript {
        let han = |c: char| {
            matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
                || matches!(c, '々' | '〆')
        };
        let kana = |c: char| matches!(c as u32, 0x3041..=0x309F | 0x30A0..=0x30FA | 0x30FC..=0x30FF | 0xFF66..=0xFF9F);
        if s.chars().any(han) {
            NameScript::Kanji
        } else if s.chars().any(kana) {
            NameScript::Kana
        } else if s.chars().any(|c| c.is_ascii_alphabetic() || matches!(c as u32, 0xC0..=0x24F | 0xFF21..=0xFF5A)) {
            NameScript::Latin
        } else {
            NameScript::Other
        }
    }
}

/// An affiliation entry (current or history), raw strings kept.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct KakenAffiliation {
    pub sequence: Option<i64>,
    /// From `affiliations:current` (else the history).
    pub current: bool,
    pub institution: Vec<Text>,
    /// `id:institution:erad` or `id:institution:mext`, as (scheme, code).
    pub institution_ids: Vec<(String, String)>,
    pub department: Vec<Text>,
    pub job_title: Vec<Text>,
    /// ISO date as precise as given (`2006`, `2006-04`, `2006-04-01`).
    pub since: Option<String>,
    pub until: Option<String>,
}

/// A KAKENHI project entry of the record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct KakenProject {
    /// `KAKENHI-PROJECT-09268224`.
    pub id: String,
    /// The grant number (`09268224`): the id without its `KAKENHI-PROJECT-` prefix.
    pub grant_number: String,
    /// The researcher's role codes (`principal_investigator`, `co_investigator_buntan`, …).
    pub roles: Vec<String>,
    /// First and last fiscal year (a Japanese fiscal year starts in April).
    pub first_fiscal_year: Option<i32>,
    pub last_fiscal_year: Option<i32>,
    pub status: Option<String>,
    pub title: Vec<Text>,
    pub category: Vec<Text>,
    /// Institution names with their NII code when given.
    pub institution: Vec<Text>,
    pub institution_nii_codes: Vec<String>,
    pub members: Vec<KakenMember>,
}

/// A project member as KAKEN lists it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct KakenMember {
    pub sequence: Option<i64>,
    pub roles: Vec<String>,
    pub erad: Option<String>,
    pub names: Vec<NameVariant>,
    pub institution: Vec<Text>,
    pub department: Vec<Text>,
    pub job_title: Vec<Text>,
}

/// A research product (presentation, journal article, book, patent…).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct KakenProduct {
    /// `resourceType` as given: `Presentation`, `Journal Article`, `Book`, `Patent`.
    pub kind: Option<String>,
    pub title: Option<Text>,
    pub year: Option<i32>,
    /// `creator:unparsed`: the author list as written.
    pub authors: Vec<String>,
    pub doi: Option<String>,
    /// The KAKENHI projects it is reported under.
    pub projects: Vec<String>,
}

/// One KAKEN researcher.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct KakenResearcher {
    /// e-Rad researcher number(s).
    pub erad: Vec<String>,
    /// `accn` (`id:person:kakenhi**1120958`).
    pub kaken_id: Option<String>,
    pub names: Vec<NameVariant>,
    pub affiliations: Vec<KakenAffiliation>,
    pub projects: Vec<KakenProject>,
    pub products: Vec<KakenProduct>,
    /// Fields left out because they had the wrong type, each with where it was.
    pub problems: Vec<String>,
}

impl KakenResearcher {
    /// The e-Rad researcher number (the first one).
    pub fn erad_id(&self) -> Option<&str> {
        self.erad.first().map(String::as_str)
    }

    /// Every distinct full name of the person (as written), family + given built per script where a name
    /// object gives the parts but no full name in that script.
    pub fn full_names(&self) -> Vec<String> {
        full_names(&self.names)
    }

    /// The name in one script from the current `name` (a full name when given).
    pub fn name_in(&self, script: NameScript) -> Option<&str> {
        self.names
            .iter()
            .find(|n| n.source == 0 && n.part == NamePart::Full && n.script == script)
            .map(|n| n.text.as_str())
    }

    /// The affiliation history entries (not the current ones).
    pub fn history(&self) -> impl Iterator<Item = &KakenAffiliation> {
        self.affiliations.iter().filter(|a| !a.current)
    }

    /// The project members other than the researcher, one per e-Rad id (or per name when there is none), in
    /// first-seen order, with the projects they share.
    pub fn collaborators(&self) -> Vec<DeclaredCollaborator> {
        let own: Vec<&str> = self.erad.iter().map(String::as_str).collect();
        let mut out: Vec<DeclaredCollaborator> = Vec::new();
        for p in &self.projects {
            for m in &p.members {
                if m.erad.as_deref().is_some_and(|e| own.contains(&e)) {
                    continue;
                }
                let names = full_names(&m.names);
                let same = |c: &DeclaredCollaborator| match (&c.erad, &m.erad) {
                    (Some(a), Some(b)) => a == b,
                    (None, None) => c.names == names,
                    _ => false,
                };
                let i = match out.iter().position(same) {
                    Some(i) => i,
                    None => {
                        out.push(DeclaredCollaborator { erad: m.erad.clone(), ..DeclaredCollaborator::default() });
                        out.len() - 1
                    }
                };
                let c = &mut out[i];
                for n in names {
                    if !c.names.contains(&n) {
                        c.names.push(n);
                    }
                }
                for t in &m.institution {
                    if !c.institutions.contains(&t.text) {
                        c.institutions.push(t.text.clone());
                    }
                }
                if !c.projects.contains(&p.grant_number) {
                    c.projects.push(p.grant_number.clone());
                }
            }
        }
        out
    }
}

/// A person the record names as a project member: the collaborators the researcher declared.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DeclaredCollaborator {
    pub erad: Option<String>,
    /// Their names as written (any script).
    pub names: Vec<String>,
    pub institutions: Vec<String>,
    /// The grant numbers of the projects shared.
    pub projects: Vec<String>,
}

fn full_names(names: &[NameVariant]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |s: String| {
        if !s.trim().is_empty() && !out.contains(&s) {
            out.push(s);
        }
    };
    let sources: Vec<usize> = {
        let mut s: Vec<usize> = names.iter().map(|n| n.source).collect();
        s.dedup();
        s
    };
    for src in sources {
        let of = |part: NamePart| names.iter().filter(move |n| n.source == src && n.part == part);
        for n in of(NamePart::Full) {
            push(n.text.clone());
        }
        for script in [NameScript::Kanji, NameScript::Kana, NameScript::Latin] {
            if of(NamePart::Full).any(|n| n.script == script) {
                continue;
            }
            let family = of(NamePart::Family).find(|n| n.script == script);
            let given = of(NamePart::Given).find(|n| n.script == script);
            if let (Some(f), Some(g)) = (family, given) {
                push(format!("{} {}", f.text, g.text));
            }
        }
    }
    out
}

/// Why a file could not be read as KAKEN researcher JSON.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KakenError {
    #[error("empty file: expected KAKEN researcher JSON, an object {{\"researchers\": [...]}}")]
    Empty,
    #[error("not valid JSON at line {line}, column {column}: {message} (expected KAKEN researcher JSON)")]
    Json { line: usize, column: usize, message: String },
    #[error("not KAKEN researcher JSON: {0}")]
    NotKaken(String),
}

/// Reads KAKEN researcher JSON (see the module doc for what is recognised and how problems are counted).
pub fn parse_kaken(content: &str) -> Result<KakenFile, KakenError> {
    let body = content.trim_start_matches('\u{feff}');
    if body.trim().is_empty() {
        return Err(KakenError::Empty);
    }
    let value: Value = serde_json::from_str(body).map_err(|e| KakenError::Json {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    let Value::Object(top) = value else {
        return Err(KakenError::NotKaken(format!(
            "the top level is {}, expected an object with a \"researchers\" array",
            kind(&value)
        )));
    };
    let Some(list) = top.get("researchers") else {
        return Err(KakenError::NotKaken(
            "no \"researchers\" key at the top level (expected {\"researchers\": [...]})".into(),
        ));
    };
    let Value::Array(list) = list else {
        return Err(KakenError::NotKaken(format!("\"researchers\" is {}, expected an array", kind(list))));
    };
    if list.is_empty() {
        return Err(KakenError::NotKaken("the \"researchers\" array is empty".into()));
    }
    let mut file = KakenFile::default();
    for (index, rec) in list.iter().enumerate() {
        match rec {
            Value::Object(m) if KAKEN_RESEARCHER_KEYS.iter().any(|k| m.contains_key(*k)) => {
                file.researchers.push(researcher(m));
            }
            Value::Object(_) => file.rejected.push(RejectedRecord {
                index,
                reason: format!(
                    "an object with none of KAKEN's researcher keys ({})",
                    KAKEN_RESEARCHER_KEYS.join(", ")
                ),
            }),
            other => file
                .rejected
                .push(RejectedRecord { index, reason: format!("{}, expected a researcher object", kind(other)) }),
        }
    }
    if file.researchers.is_empty() {
        return Err(KakenError::NotKaken(format!(
            "none of the {} elements of \"researchers\" is a KAKEN researcher record (with {})",
            list.len(),
            KAKEN_RESEARCHER_KEYS.join(", ")
        )));
    }
    Ok(file)
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Reads fields, noting each one of the wrong type.
struct Reader<'a> {
    problems: &'a mut Vec<String>,
}

impl Reader<'_> {
    fn problem(&mut self, at: &str, what: &str, v: &Value) {
        self.problems.push(format!("{at}: {}, expected {what}", kind(v)));
    }

    /// An array field: missing → empty; not an array → a problem, empty.
    fn array<'v>(&mut self, m: &'v Map<String, Value>, key: &str, at: &str) -> &'v [Value] {
        match m.get(key) {
            None | Some(Value::Null) => &[],
            Some(Value::Array(a)) => a,
            Some(other) => {
                self.problem(&format!("{at}.{key}"), "an array", other);
                &[]
            }
        }
    }

    fn object<'v>(&mut self, v: &'v Value, at: &str) -> Option<&'v Map<String, Value>> {
        match v {
            Value::Object(m) => Some(m),
            Value::Null => None,
            other => {
                self.problem(at, "an object", other);
                None
            }
        }
    }

    fn string(&mut self, v: Option<&Value>, at: &str) -> Option<String> {
        match v? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Null => None,
            other => {
                self.problem(at, "a string", other);
                None
            }
        }
    }

    fn int(&mut self, v: Option<&Value>, at: &str) -> Option<i64> {
        match v? {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => match s.trim().parse() {
                Ok(n) => Some(n),
                Err(_) => {
                    self.problems.push(format!("{at}: \"{s}\" is not a number"));
                    None
                }
            },
            Value::Null => None,
            other => {
                self.problem(at, "a number", other);
                None
            }
        }
    }

    /// `[{text, lang}]` texts.
    fn texts(&mut self, v: &[Value], at: &str) -> Vec<Text> {
        let mut out = Vec::new();
        for (i, t) in v.iter().enumerate() {
            let at = format!("{at}[{i}]");
            let Some(m) = self.object(t, &at) else { continue };
            if let Some(text) = self.string(m.get("text"), &format!("{at}.text")) {
                let lang = self.string(m.get("lang"), &format!("{at}.lang"));
                out.push(Text { text, lang });
            }
        }
        out
    }

    /// `{humanReadableValue: [{text, lang}]}` (or an array of them) → texts.
    fn human_readable(&mut self, v: Option<&Value>, at: &str) -> Vec<Text> {
        match v {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => {
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    out.extend(self.human_readable(Some(item), &format!("{at}[{i}]")));
                }
                out
            }
            Some(Value::Object(m)) => {
                let hrv = self.array(m, "humanReadableValue", at);
                self.texts(hrv, &format!("{at}.humanReadableValue"))
            }
            Some(other) => {
                self.problem(at, "an object with humanReadableValue", other);
                Vec::new()
            }
        }
    }

    /// `{commonEra:year, month, day}` (or `{fiscal:year: {commonEra:year}}`) → ISO date as precise as given.
    fn date(&mut self, v: Option<&Value>, at: &str) -> Option<String> {
        let m = self.object(v?, at)?;
        let m = match m.get("fiscal:year") {
            Some(f) => self.object(f, &format!("{at}.fiscal:year"))?,
            None => m,
        };
        let year = self.int(m.get("commonEra:year"), &format!("{at}.commonEra:year"))?;
        let month = self.int(m.get("month"), &format!("{at}.month"));
        let day = self.int(m.get("day"), &format!("{at}.day"));
        Some(match (month, day) {
            (Some(mo), Some(d)) => format!("{year:04}-{mo:02}-{d:02}"),
            (Some(mo), None) => format!("{year:04}-{mo:02}"),
            _ => format!("{year:04}"),
        })
    }

    fn role_codes(&mut self, m: &Map<String, Value>, at: &str) -> Vec<String> {
        let mut out = Vec::new();
        for (i, r) in self.array(m, "role", at).iter().enumerate() {
            let at = format!("{at}.role[{i}]");
            if let Some(r) = self.object(r, &at)
                && let Some(code) = self.string(r.get("code:roleInProject:kakenhi"), &at)
            {
                out.push(code);
            }
        }
        out
    }

    fn names(&mut self, texts: Vec<Text>, part: NamePart, source: usize, out: &mut Vec<NameVariant>) {
        for t in texts {
            let script = NameScript::of(&t.text);
            out.push(NameVariant { text: t.text, lang: t.lang, script, part, source });
        }
    }

    /// A name object: `humanReadableValue`, `name:familyName`, `name:givenName`.
    fn name_object(&mut self, v: &Value, source: usize, at: &str, out: &mut Vec<NameVariant>) {
        let Some(m) = self.object(v, at) else { return };
        for (key, part) in [
            ("humanReadableValue", NamePart::Full),
            ("name:familyName", NamePart::Family),
            ("name:givenName", NamePart::Given),
        ] {
            let arr = self.array(m, key, at);
            let texts = self.texts(arr, &format!("{at}.{key}"));
            self.names(texts, part, source, out);
        }
    }
}

fn researcher(m: &Map<String, Value>) -> KakenResearcher {
    let mut problems = Vec::new();
    let mut r = Reader { problems: &mut problems };
    let mut out = KakenResearcher::default();
    match m.get("id:person:erad") {
        Some(Value::Array(ids)) => {
            for (i, id) in ids.iter().enumerate() {
                out.erad.extend(r.string(Some(id), &format!("id:person:erad[{i}]")));
            }
        }
        Some(v @ Value::String(_)) => out.erad.extend(r.string(Some(v), "id:person:erad")),
        Some(Value::Null) | None => {}
        Some(other) => r.problem("id:person:erad", "an array of strings", other),
    }
    out.kaken_id = r.string(m.get("accn"), "accn");
    if let Some(name) = m.get("name") {
        r.name_object(name, 0, "name", &mut out.names);
    }
    for (i, n) in r.array(m, "names", "").iter().enumerate() {
        r.name_object(n, i + 1, &format!("names[{i}]"), &mut out.names);
    }
    for (key, current) in [("affiliations:current", true), ("affiliations:history", false)] {
        for (i, a) in r.array(m, key, "").iter().enumerate() {
            let at = format!("{key}[{i}]");
            let Some(a) = r.object(a, &at) else { continue };
            let mut aff = KakenAffiliation { current, ..KakenAffiliation::default() };
            aff.sequence = r.int(a.get("sequence"), &format!("{at}.sequence"));
            aff.since = r.date(a.get("since"), &format!("{at}.since"));
            aff.until = r.date(a.get("until"), &format!("{at}.until"));
            let inst = a.get("affiliation:institution");
            aff.institution = r.human_readable(inst, &format!("{at}.affiliation:institution"));
            if let Some(Value::Object(im)) = inst {
                for (k, v) in im {
                    if let Some(scheme) = k.strip_prefix("id:institution:")
                        && let Some(code) = r.string(Some(v), &format!("{at}.{k}"))
                    {
                        aff.institution_ids.push((scheme.to_owned(), code));
                    }
                }
            }
            aff.department = r.human_readable(a.get("affiliation:department"), &format!("{at}.affiliation:department"));
            aff.job_title = r.human_readable(a.get("affiliation:jobTitle"), &format!("{at}.affiliation:jobTitle"));
            out.affiliations.push(aff);
        }
    }
    for (i, p) in r.array(m, "work:project", "").iter().enumerate() {
        let at = format!("work:project[{i}]");
        let Some(p) = r.object(p, &at) else { continue };
        if let Some(project) = project(&mut r, p, &at) {
            out.projects.push(project);
        }
    }
    for (i, p) in r.array(m, "work:product", "").iter().enumerate() {
        let at = format!("work:product[{i}]");
        let Some(p) = r.object(p, &at) else { continue };
        out.products.push(product(&mut r, p, &at));
    }
    out.problems = problems;
    out
}

fn project(r: &mut Reader<'_>, p: &Map<String, Value>, at: &str) -> Option<KakenProject> {
    let source = p.get("recordSource").and_then(|s| r.object(s, &format!("{at}.recordSource")));
    let id = source.and_then(|s| match s.get("id:project:kakenhi") {
        Some(Value::Array(ids)) => ids.first().and_then(|v| r.string(Some(v), &format!("{at}.recordSource"))),
        other => r.string(other, &format!("{at}.recordSource.id:project:kakenhi")),
    });
    let Some(id) = id else {
        r.problems.push(format!("{at}: a project without its id:project:kakenhi, left out"));
        return None;
    };
    let grant_number = id.strip_prefix("KAKENHI-PROJECT-").unwrap_or(&id).to_owned();
    let year = |r: &mut Reader<'_>, key: &str| {
        r.date(p.get(key), &format!("{at}.{key}")).and_then(|d| d.get(..4).and_then(|y| y.parse::<i32>().ok()))
    };
    let first_fiscal_year = year(r, "since");
    let last_fiscal_year = year(r, "until");
    let status = p.get("projectStatus").and_then(|s| r.object(s, &format!("{at}.projectStatus"))).and_then(|s| {
        let v = s.get("statusCode");
        r.string(v, &format!("{at}.projectStatus.statusCode"))
    });
    let roles = r.role_codes(p, at);
    let title = r.human_readable(p.get("title"), &format!("{at}.title"));
    let category = r.human_readable(p.get("category"), &format!("{at}.category"));
    let institution = r.human_readable(p.get("institution"), &format!("{at}.institution"));
    let mut institution_nii_codes = Vec::new();
    if let Some(Value::Array(insts)) = p.get("institution") {
        for inst in insts {
            if let Some(Value::Array(hrv)) = inst.get("humanReadableValue") {
                for h in hrv {
                    if let Some(Value::String(code)) = h.get("niiCode")
                        && !institution_nii_codes.contains(code)
                    {
                        institution_nii_codes.push(code.clone());
                    }
                }
            }
        }
    }
    let mut members = Vec::new();
    for (j, mv) in r.array(p, "member", at).iter().enumerate() {
        let mat = format!("{at}.member[{j}]");
        let Some(mm) = r.object(mv, &mat) else { continue };
        let mut member = KakenMember {
            sequence: r.int(mm.get("sequence"), &format!("{mat}.sequence")),
            roles: r.role_codes(mm, &mat),
            erad: r.string(mm.get("id:person:erad"), &format!("{mat}.id:person:erad")),
            ..KakenMember::default()
        };
        for (key, slot) in [
            ("institution:name", &mut member.institution),
            ("department:name", &mut member.department),
            ("jobTitle", &mut member.job_title),
        ] {
            let arr = r.array(mm, key, &mat);
            *slot = r.texts(arr, &format!("{mat}.{key}"));
        }
        let arr = r.array(mm, "person:name", &mat);
        let texts = r.texts(arr, &format!("{mat}.person:name"));
        r.names(texts, NamePart::Full, 0, &mut member.names);
        members.push(member);
    }
    Some(KakenProject {
        id,
        grant_number,
        roles,
        first_fiscal_year,
        last_fiscal_year,
        status,
        title,
        category,
        institution,
        institution_nii_codes,
        members,
    })
}

fn product(r: &mut Reader<'_>, p: &Map<String, Value>, at: &str) -> KakenProduct {
    let kind = r.string(p.get("resourceType"), &format!("{at}.resourceType"));
    let title = match p.get("title:main") {
        Some(v @ Value::Object(_)) => r.texts(std::slice::from_ref(v), &format!("{at}.title:main")).into_iter().next(),
        Some(Value::Array(a)) => r.texts(a, &format!("{at}.title:main")).into_iter().next(),
        None | Some(Value::Null) => None,
        Some(other) => {
            r.problem(&format!("{at}.title:main"), "an object {text, lang}", other);
            None
        }
    };
    let year = p
        .get("date:publicationDate")
        .and_then(|d| r.object(d, &format!("{at}.date:publicationDate")))
        .and_then(|d| {
            let v = d.get("commonEra:year");
            r.int(v, &format!("{at}.date:publicationDate.commonEra:year"))
        })
        .and_then(|y| i32::try_from(y).ok());
    let creators = r.array(p, "creator:unparsed", at);
    let authors = r.texts(creators, &format!("{at}.creator:unparsed")).into_iter().map(|t| t.text).collect();
    // `id:doi: [{"value": "10.…"}]` (a bare string is read too).
    let doi = match p.get("id:doi") {
        Some(Value::Array(a)) => a.first().and_then(|v| match v {
            Value::Object(o) => r.string(o.get("value"), &format!("{at}.id:doi[0].value")),
            other => r.string(Some(other), &format!("{at}.id:doi[0]")),
        }),
        other => r.string(other, &format!("{at}.id:doi")),
    };
    let mut projects = Vec::new();
    for (i, rel) in r.array(p, "relation:relatedResource", at).iter().enumerate() {
        if let Some(id) = rel.get("id:project:kakenhi") {
            projects.extend(r.string(Some(id), &format!("{at}.relation:relatedResource[{i}]")));
        }
    }
    KakenProduct { kind, title, year, authors, doi, projects }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_input_is_a_clear_error() {
        assert_eq!(parse_kaken(""), Err(KakenError::Empty));
        assert_eq!(parse_kaken(" \n"), Err(KakenError::Empty));
        let truncated = parse_kaken("{\"researchers\": [{\"id:person:erad\": [\"1\"]").expect_err("truncated");
        assert!(matches!(truncated, KakenError::Json { line: 1, .. }), "{truncated}");
        assert!(truncated.to_string().contains("column"), "{truncated}");
        for (body, says) in [
            ("[]", "the top level is an array"),
            ("{\"orcid-identifier\": {}}", "no \"researchers\" key"),
            ("{\"researchers\": {}}", "\"researchers\" is an object"),
            ("{\"researchers\": []}", "empty"),
            ("{\"researchers\": [1, {\"x\": 2}]}", "none of the 2 elements"),
        ] {
            let e = parse_kaken(body).expect_err(body);
            assert!(e.to_string().contains(says), "{body}: {e}");
        }
    }

    #[test]
    fn wrong_types_are_counted_not_fatal() {
        let body = r#"{"researchers": [
            {"id:person:erad": ["123"], "work:project": "oops", "name": {"humanReadableValue": [{"text": true}]},
             "affiliations:history": [7, {"since": {"commonEra:year": "x"}}],
             "work:product": [{"resourceType": "Book", "title:main": [], "creator:unparsed": [{"text": "A B"}]}]},
            "not a researcher",
            {"unrelated": true}
        ]}"#;
        let file = parse_kaken(body).expect("one researcher kept");
        assert_eq!(file.researchers.len(), 1);
        assert_eq!(file.rejected.iter().map(|r| r.index).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(file.records_seen(), 3);
        let r = &file.researchers[0];
        assert_eq!(r.erad_id(), Some("123"));
        assert_eq!(r.affiliations.len(), 1);
        assert_eq!(r.products.len(), 1);
        assert_eq!(r.products[0].authors, ["A B"]);
        assert_eq!(r.problems.len(), 4, "{:?}", r.problems);
    }

    #[test]
    fn scripts_from_characters_not_tags() {
        assert_eq!(NameScript::of("野村 泰伸"), NameScript::Kanji);
        assert_eq!(NameScript::of("ノムラ タイシン"), NameScript::Kana);
        assert_eq!(NameScript::of("PAKDAMAN Kha"), NameScript::Latin);
        assert_eq!(NameScript::of("・"), NameScript::Other);
    }
}
