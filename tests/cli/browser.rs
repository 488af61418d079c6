//! The bundled-sample audit's HTML report as a person sees it: rendered by headless Chromium (Debian's
//! `chromium`, no network), screenshotted and DOM-dumped, with script payloads injected into its metadata.
//! Skipped with a message when chromium is absent, unless `BYLINE_REQUIRE_CHROMIUM=1` (CI).

use std::path::Path;
use std::process::Command;

use crate::support::{byline, root, s};

fn chromium() -> Option<&'static str> {
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser"].into_iter().find(|n| std::env::split_paths(&path).any(|d| d.join(n).is_file()))
}

fn run_chromium(chromium: &str, profile: &Path, args: &[&str]) -> std::process::Output {
    Command::new(chromium)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"])
        .args(["--disable-background-networking", "--disable-component-update", "--disable-sync"])
        .args(["--hide-scrollbars", "--window-size=1200,1600"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .expect("chromium starts")
}

#[test]
fn bundled_sample_audit_report_renders_in_chromium_and_injected_scripts_do_not_run() {
    let Some(chromium) = chromium() else {
        assert!(
            std::env::var("BYLINE_REQUIRE_CHROMIUM").as_deref() != Ok("1"),
            "BYLINE_REQUIRE_CHROMIUM=1 but no chromium"
        );
        let _ = std::io::Write::write_all(
            &mut std::io::stderr(),
            concat!("skipping: no `chromium` on PATH", "\n").as_bytes(),
        );
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("demo");
    let r = byline(&["demo", "--sample", s(&root().join("datasets/sample")), "--out", s(&out)]);
    assert_eq!(r.status.code(), Some(0), "{}", String::from_utf8_lossy(&r.stderr));

    // Untrusted metadata: a title and an author carrying script payloads, as a hostile record would.
    let mut data: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).expect("report.json")).expect("json");
    let works = data["works"].as_array_mut().expect("evidence works");
    assert!(!works.is_empty());
    works[0]["title"] = serde_json::json!("<script>document.title='PWNED'</script>Injected title");
    works[0]["authors"][0] = serde_json::json!("<img src=x onerror=\"document.body.innerHTML='PWNED'\">");
    data["summary"][0] = serde_json::json!("<script>document.body.append('PWNED')</script>summary");
    let hostile = dir.path().join("hostile.json");
    std::fs::write(&hostile, serde_json::to_string(&data).expect("json")).expect("write");
    let html = dir.path().join("report.html");
    let r = byline(&["report", s(&hostile), "--out", s(&html)]);
    assert_eq!(r.status.code(), Some(0), "{}", String::from_utf8_lossy(&r.stderr));

    let url = format!("file://{}", html.display());
    let profile = dir.path().join("profile");
    let png = dir.path().join("report.png");
    let shot = run_chromium(chromium, &profile, &[&format!("--screenshot={}", png.display()), &url]);
    assert!(shot.status.success(), "{}", String::from_utf8_lossy(&shot.stderr));
    let dom = run_chromium(chromium, &profile, &["--dump-dom", &url]);
    let dom = String::from_utf8_lossy(&dom.stdout).into_owned();

    // Not blank: the screenshot decodes at the window size and has many non-background pixels.
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&png).expect("png")));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut pixels).expect("decodes");
    assert_eq!((info.width, info.height), (1200, 1600));
    let channels = info.color_type.samples();
    let dark = pixels[..info.buffer_size()].chunks(channels).filter(|p| p.iter().take(3).all(|c| *c < 96)).count();
    assert!(dark > 1000, "the screenshot is almost blank ({dark} dark pixels)");

    // Headings, the planted works' flags, and the truth's DOIs as the browser parsed them.
    for heading in ["<h2>Summary</h2>", "<h2>Findings</h2>", "<h2>Charts</h2>"] {
        assert!(dom.contains(heading), "missing {heading}");
    }
    assert!(dom.contains("<code>AUD001</code>"));
    let truth: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("datasets/sample/.truth.json")).expect("truth"))
            .expect("json");
    for doi in truth["planted_dois"].as_array().expect("dois").iter().filter_map(|d| d.as_str()) {
        assert!(dom.contains(doi), "planted {doi} missing from the rendered report");
    }
    // The payloads are text, not code: no script element, no injected image, the page title is ours.
    assert!(!dom.contains("<script"), "a script element exists in the DOM");
    assert!(!dom.contains("<img"), "an injected img element exists in the DOM");
    assert!(!dom.contains("<title>PWNED"), "document.title was changed");
    assert!(
        dom.contains("&lt;script&gt;document.title='PWNED'&lt;/script&gt;Injected title"),
        "payload not shown as text"
    );
}

/// The Japanese report (`--lang ja`) as a person sees it: the bundled sample's audit rendered again with
/// `byline report --lang ja`, screenshotted and DOM-dumped by headless Chromium (`byline audit … --report r.html
/// --lang ja` is checked in `audit::kaken_institutions_are_one_declared_institution_however_written`). The page is `lang="ja"`, headings, reasons and summary
/// are Japanese, codes, titles and DOIs are as written, and the Japanese font the stack names first is installed
/// (CI installs fonts-noto-cjk), so the screenshot draws kana and kanji, not boxes.
#[test]
fn japanese_report_renders_in_chromium() {
    let Some(chromium) = chromium() else {
        assert!(
            std::env::var("BYLINE_REQUIRE_CHROMIUM").as_deref() != Ok("1"),
            "BYLINE_REQUIRE_CHROMIUM=1 but no chromium"
        );
        let _ = std::io::Write::write_all(&mut std::io::stderr(), b"skipping: no `chromium` on PATH\n");
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("demo");
    let r = byline(&["demo", "--sample", s(&root().join("datasets/sample")), "--out", s(&out)]);
    assert_eq!(r.status.code(), Some(0), "{}", String::from_utf8_lossy(&r.stderr));
    let html = dir.path().join("report-ja.html");
    let r = byline(&["report", s(&out.join("report.json")), "--out", s(&html), "--lang", "ja"]);
    assert_eq!(r.status.code(), Some(0), "{}", String::from_utf8_lossy(&r.stderr));
    // Markdown is English text: another language for it is an error, not a silent English file.
    let r = byline(&["report", s(&out.join("report.json")), "--out", s(&dir.path().join("r.md")), "--lang", "ja"]);
    assert_eq!(r.status.code(), Some(1));
    let r = byline(&["report", s(&out.join("report.json")), "--out", s(&html), "--lang", "fr"]);
    assert_eq!(r.status.code(), Some(2), "an unknown language is a usage error");

    let url = format!("file://{}", html.display());
    let profile = dir.path().join("profile");
    let png = dir.path().join("report-ja.png");
    let shot = run_chromium(chromium, &profile, &[&format!("--screenshot={}", png.display()), &url]);
    assert!(shot.status.success(), "{}", String::from_utf8_lossy(&shot.stderr));
    let dom = run_chromium(chromium, &profile, &["--dump-dom", &url]);
    let dom = String::from_utf8_lossy(&dom.stdout).into_owned();
    assert!(dom.contains("<html lang=\"ja\">"), "{}", &dom[..dom.len().min(300)]);
    for heading in ["<h2>概要</h2>", "<h2>所見</h2>", "<h2>図表</h2>", "<h2>方法と閾値</h2>", "<h4>理由</h4>"]
    {
        assert!(dom.contains(heading), "missing {heading}");
    }
    for english in ["<h2>Summary</h2>", "<h2>Findings</h2>", "<h4>Why</h4>"] {
        assert!(!dom.contains(english), "English heading left: {english}");
    }
    // Codes and evidence as written; the summary's first line and the work findings' reasons in Japanese.
    assert!(dom.contains("<code>AUD001</code>"));
    let truth: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("datasets/sample/.truth.json")).expect("truth"))
            .expect("json");
    for doi in truth["planted_dois"].as_array().expect("dois").iter().filter_map(|d| d.as_str()) {
        assert!(dom.contains(doi), "planted {doi} missing from the rendered report");
    }
    assert!(dom.contains("コーパス内でこの研究者の名前を含む業績は"), "summary not in Japanese");
    let reasons: Vec<&str> =
        dom.split("<ul class=\"reasons\">").skip(1).filter_map(|p| p.split("</ul>").next()).collect();
    let items: Vec<&str> = reasons.iter().flat_map(|r| r.split("<li").skip(1)).collect();
    let japanese = items.iter().filter(|i| !i.starts_with(" lang=\"en\"")).count();
    assert!(items.len() > 5 && japanese * 10 >= items.len() * 9, "{japanese} of {} reasons in Japanese", items.len());
    // The font the Japanese stack names first is the one the system has for Japanese text.
    let fc = std::process::Command::new("fc-match").args(["-f", "%{family}", "Noto Sans CJK JP:lang=ja"]).output();
    match fc {
        Ok(o) if String::from_utf8_lossy(&o.stdout).contains("Noto Sans CJK JP") => {}
        other => assert!(
            std::env::var("BYLINE_REQUIRE_CHROMIUM").as_deref() != Ok("1"),
            "Noto Sans CJK JP is not installed (apt-get install fonts-noto-cjk): {other:?}"
        ),
    }
    assert!(dom.contains("\"Noto Sans CJK JP\""), "the Japanese font stack is missing");
    // Not blank.
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&png).expect("png")));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut pixels).expect("decodes");
    let channels = info.color_type.samples();
    let dark = pixels[..info.buffer_size()].chunks(channels).filter(|p| p.iter().take(3).all(|c| *c < 96)).count();
    assert!(dark > 1000, "the screenshot is almost blank ({dark} dark pixels)");
}
