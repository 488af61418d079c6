//! Renders the sample report in headless Chromium (Debian's `chromium`), takes a screenshot and dumps the DOM:
//! the page is not blank, has its headings and flags, and none of the injected scripts ran.
//!
//! Skipped with a message when `chromium` is not on PATH, unless `BYLINE_REQUIRE_CHROMIUM=1` (CI) makes that a
//! failure. Set `BYLINE_SCREENSHOT_DIR` to keep the HTML and the PNG (the README screenshot comes from here).

use std::path::Path;
use std::process::Command;

use crate::hostile_input;

#[test]
fn report_renders_in_headless_chromium_without_running_injected_scripts() {
    let Some(chromium) = find_chromium() else {
        assert!(
            std::env::var("BYLINE_REQUIRE_CHROMIUM").as_deref() != Ok("1"),
            "BYLINE_REQUIRE_CHROMIUM=1 but no chromium on PATH (apt-get install chromium)"
        );
        let _ = std::io::Write::write_all(
            &mut std::io::stderr(),
            concat!("skipping: no `chromium` on PATH", "\n").as_bytes(),
        );
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let html_path = dir.path().join("report.html");
    let png_path = dir.path().join("report.png");
    let html = byline_report::render_html(&hostile_input()).expect("report renders");
    std::fs::write(&html_path, &html).expect("write report");
    let url = format!("file://{}", html_path.display());

    let profile = dir.path().join("profile");
    let screenshot = run_chromium(&chromium, &profile, &[&format!("--screenshot={}", png_path.display()), &url]);
    assert!(
        screenshot.status.success(),
        "chromium --screenshot failed: {}",
        String::from_utf8_lossy(&screenshot.stderr)
    );
    let dom = run_chromium(&chromium, &profile, &["--dump-dom", &url]);
    assert!(dom.status.success(), "chromium --dump-dom failed: {}", String::from_utf8_lossy(&dom.stderr));
    let dom = String::from_utf8(dom.stdout).expect("DOM is UTF-8");

    if let Ok(keep) = std::env::var("BYLINE_SCREENSHOT_DIR") {
        std::fs::create_dir_all(&keep).expect("screenshot dir");
        std::fs::copy(&png_path, Path::new(&keep).join("report.png")).expect("keep png");
        std::fs::write(Path::new(&keep).join("report.html"), &html).expect("keep html");
        std::fs::write(Path::new(&keep).join("report.dom.html"), &dom).expect("keep dom");
    }

    assert_png_is_not_blank(&png_path);

    // Headings and flags, as the browser parsed them.
    for heading in ["<h2>Summary</h2>", "<h2>Findings</h2>", "<h2>Charts</h2>", "<h2>Method and thresholds</h2>"] {
        assert!(dom.contains(heading), "missing {heading}");
    }
    for code in ["COA001", "LST001", "AFF002", "RET001", "TOR001"] {
        assert!(dom.contains(&format!("<code>{code}</code>")), "flag {code} missing from the DOM");
    }
    assert_eq!(dom.matches("<article class=\"finding").count(), 5);
    assert!(dom.matches("<svg").count() >= 4, "charts missing");
    assert!(dom.contains("张伟") && dom.contains("محمد العلي"), "CJK/Arabic names missing");

    // None of the injected scripts ran: the title is ours, no element was added, and the payloads are text.
    let title = between(&dom, "<title>", "</title>").expect("a <title>");
    assert!(!title.contains("PWNED") || title.contains("&lt;script&gt;"), "document.title was changed: {title}");
    assert!(title.starts_with("Audit report: Wei Zhang"), "unexpected title {title}");
    assert!(!dom.contains("<p id=\"pwned\""), "an injected element was added to the DOM");
    assert!(!dom.contains("<script"), "a <script> element exists in the DOM");
    assert!(!dom.contains("<img"), "an injected <img> element exists in the DOM");
    assert!(
        dom.contains("&lt;script&gt;document.title='PWNED-TITLE'&lt;/script&gt;"),
        "title payload not shown as text"
    );
    assert!(dom.contains("R. Doe&lt;img src=x onerror="), "author payload not shown as text");
}

fn find_chromium() -> Option<String> {
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser"]
        .into_iter()
        .find(|name| std::env::split_paths(&path).any(|dir| dir.join(name).is_file()))
        .map(str::to_owned)
}

/// Chromium with no network, no GPU, no first-run or background traffic, and a throwaway profile.
fn run_chromium(chromium: &str, profile: &Path, args: &[&str]) -> std::process::Output {
    Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--hide-scrollbars",
            "--window-size=1280,2000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .expect("chromium starts")
}

/// Decodes the screenshot: it has the requested size and is far from one flat colour.
fn assert_png_is_not_blank(path: &Path) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).expect("screenshot exists")));
    let mut reader = decoder.read_info().expect("screenshot is a PNG");
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut pixels).expect("PNG decodes");
    assert_eq!((info.width, info.height), (1280, 2000), "unexpected screenshot size");
    let channels = info.color_type.samples();
    let pixels = &pixels[..info.buffer_size()];
    let first = &pixels[..channels];
    let differing = pixels.chunks(channels).filter(|p| *p != first).count();
    let total = pixels.len() / channels;
    assert!(differing * 20 > total, "screenshot is nearly one colour ({differing} of {total} pixels differ)");
    let dark = pixels.chunks(channels).filter(|p| p.iter().take(3).all(|c| *c < 96)).count();
    assert!(dark > 1000, "screenshot has almost no dark (text) pixels: {dark}");
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let to = text[from..].find(end)? + from;
    Some(&text[from..to])
}
