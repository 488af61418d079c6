//! Canada's Named Research Organizations (Policy on Sensitive Technology Research and Affiliations of
//! Concern): the official science.gc.ca page saved as HTML, and plain text when the user says so.
//!
//! On the page each organisation is `<li><strong>NAME</strong> (COUNTRY)`, with `<p>Known alias(es): A; B</p>`
//! for most; the page has many other `<li>` (menus, footer), so only `<li><strong>` items are read. The date
//! is the page's `dcterms.date` ("Date modified").

use super::{ListConcern, ListEntry, ListFormat, ScreeningList, split_list};
use crate::EntitiesError;
use crate::country;

const NAME: &str = "Canada Named Research Organizations";
const LICENCE: &str = "Government of Canada (ISED), Crown copyright; non-commercial reproduction allowed";

/// The page names itself and lists organisations as `<li><strong>`.
pub(crate) fn is_nro_page(html: &str) -> bool {
    html.contains("Named Research Organizations") && item_starts(html).next().is_some()
}

/// Byte offsets just after each `<li>` that is directly followed by `<strong>` (whitespace allowed).
fn item_starts(html: &str) -> impl Iterator<Item = usize> + '_ {
    html.match_indices("<li>").filter_map(|(i, _)| {
        let after = i + "<li>".len();
        let rest = html[after..].trim_start();
        rest.starts_with("<strong>").then(|| html.len() - rest.len() + "<strong>".len())
    })
}

/// The Named Research Organizations page as science.gc.ca serves it, saved as HTML.
pub fn load_named_research_organizations_html(
    html: &str,
    path: &str,
    date: Option<&str>,
) -> Result<ScreeningList, EntitiesError> {
    if !is_nro_page(html) {
        return Err(EntitiesError::Format {
            path: path.to_owned(),
            reason: "not the Named Research Organizations page: no `<li><strong>` organisation items".into(),
        });
    }
    let mut list = nro_list(path, ListFormat::NroHtml);
    list.set_date(date, page_date(html), "the page's Date modified");
    let starts: Vec<usize> = item_starts(html).collect();
    for (i, &start) in starts.iter().enumerate() {
        let position = format!("item {}", i + 1);
        let end = html[start..].find("</li>").map_or(html.len(), |e| start + e);
        let item = &html[start..end];
        let Some(close) = item.find("</strong>") else {
            list.skip(position, "an organisation item without its closing </strong>");
            continue;
        };
        let name = text_of(&item[..close]);
        if name.is_empty() {
            list.skip(position, "an empty name");
            continue;
        }
        let rest = &item[close + "</strong>".len()..];
        let before_p = rest.find("<p").map_or(rest, |p| &rest[..p]);
        let country = text_of(before_p)
            .trim()
            .strip_prefix('(')
            .and_then(|c| c.strip_suffix(')'))
            .map(|c| c.replace(['’', '‘'], "'"))
            .and_then(|c| country::country_code(c.trim()).map(str::to_owned));
        let mut aliases: Vec<String> = Vec::new();
        if let Some(k) = rest.find("Known alias") {
            let p_end = rest[k..].find("</p>").map_or(rest.len(), |e| k + e);
            let line = text_of(&rest[k..p_end]);
            let items = line.split_once(':').map_or("", |(_, a)| a);
            aliases = split_list(items, &[';']);
        }
        // "A.A. Kharkevich Institute for Information Transmission Problems, IITP, Russian Academy of Sciences":
        // the unit's own name is how affiliations write it; affiliations are matched one comma-part at a time.
        if let Some((head, _)) = name.split_once(", ")
            && head.split_whitespace().count() >= 4
            && !aliases.iter().any(|a| a == head)
        {
            aliases.push(head.to_owned());
        }
        list.entries.push(ListEntry {
            id: format!("{}", i + 1),
            name,
            aliases,
            country,
            kind: super::EntryKind::Organisation,
            note: None,
            source_url: None,
        });
    }
    Ok(list)
}

/// Canada's Named Research Organizations as plain text (read only with `--list-format ca-nro-text`): a line
/// that is only a country name starts that country's section; every other non-empty line is an organisation,
/// optionally followed by aliases in parentheses: `Name (also known as: Alias 1; Alias 2)` or `Name (Alias)`.
pub fn load_named_research_organizations(text: &str, path: &str, date: Option<&str>) -> ScreeningList {
    let mut list = nro_list(path, ListFormat::NroText);
    list.set_date(date, None, "");
    let mut current_country: Option<String> = None;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim().trim_start_matches(['-', '*', '•']).trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(code) = country::country_code(line.trim_end_matches(':')) {
            current_country = Some(code.to_owned());
            continue;
        }
        let (name, aliases) = match line.find('(') {
            Some(open) if line.ends_with(')') => {
                let inner = &line[open + 1..line.len() - 1];
                let inner = inner
                    .trim_start_matches("also known as:")
                    .trim_start_matches("also known as")
                    .trim_start_matches("aka")
                    .trim();
                (line[..open].trim(), split_list(inner, &[';']))
            }
            _ => (line, Vec::new()),
        };
        list.entries.push(ListEntry {
            id: format!("line{}", i + 1),
            name: name.to_owned(),
            aliases,
            country: current_country.clone(),
            kind: super::EntryKind::Organisation,
            note: None,
            source_url: None,
        });
    }
    list
}

fn nro_list(path: &str, format: ListFormat) -> ScreeningList {
    let mut list = ScreeningList::new("ca_nro", NAME, path, format);
    list.licence = Some(LICENCE.to_owned());
    list.concern = ListConcern::Affiliation;
    list
}

/// `<meta name="dcterms.date" content="2024-04-18">`, else the first date after "Date modified".
fn page_date(html: &str) -> Option<String> {
    let iso_after = |from: usize| {
        let tail = html.get(from..(from + 400).min(html.len()))?;
        tail.char_indices().find_map(|(i, _)| {
            let s = tail.get(i..i + 10)?;
            let b = s.as_bytes();
            (b[4] == b'-' && b[7] == b'-' && s.chars().filter(char::is_ascii_digit).count() == 8).then(|| s.to_owned())
        })
    };
    html.find("dcterms.date").and_then(iso_after).or_else(|| html.find("Date modified").and_then(iso_after))
}

/// The text of an HTML fragment: tags removed, entities decoded, whitespace collapsed.
fn text_of(fragment: &str) -> String {
    let mut out = String::with_capacity(fragment.len());
    let mut in_tag = false;
    for c in fragment.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    decode_entities(&out).split_whitespace().collect::<Vec<_>>().join(" ")
}

fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let tail = &rest[amp..];
        let Some(semi) = tail.find(';').filter(|&i| i <= 10) else {
            out.push('&');
            rest = &tail[1..];
            continue;
        };
        let entity = &tail[1..semi];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            "rsquo" => Some('’'),
            "lsquo" => Some('‘'),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &tail[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<html><head><title>Named Research Organizations</title>
<meta name="dcterms.date" content="2024-04-18" /></head><body>
<ul class="menu"><li><a href="/">Home</a></li></ul>
<div class="wb-filter"><ul>
<li><strong>A.A. Kharkevich Institute for Information Transmission Problems, IITP, Russian Academy of Sciences</strong> (Russia)</li>
<li><strong>China People’s Police University</strong> (People’s Republic of China)
<p>Known alias(es): CPPU; China People&#39;s Armed Police Force Academy &amp; College</p>
</li>
</ul></div><footer><li>Terms</li></footer></body></html>"#;

    #[test]
    fn the_page_yields_its_organisations_only() {
        let list = load_named_research_organizations_html(PAGE, "nro.html", None).expect("page");
        assert_eq!(list.entries.len(), 2, "{:#?}", list.entries);
        assert_eq!(list.date.as_deref(), Some("2024-04-18"));
        assert_eq!(list.entries[0].country.as_deref(), Some("RU"));
        assert_eq!(list.entries[0].aliases, vec!["A.A. Kharkevich Institute for Information Transmission Problems"]);
        let second = &list.entries[1];
        assert_eq!(second.name, "China People’s Police University");
        assert_eq!(second.country.as_deref(), Some("CN"));
        assert_eq!(second.aliases, vec!["CPPU", "China People's Armed Police Force Academy & College"]);
    }
}
