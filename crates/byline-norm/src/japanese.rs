//! One Japanese person across scripts: kana to Hepburn romaji, a romaji key that makes the usual spellings of
//! one name equal, and whether an author name string is one of a person's recorded names.
//!
//! - [`kana_to_romaji`]: hiragana and katakana (half-width too) to modified Hepburn, deterministic: digraphs
//!   (キャ kya, シャ sha, チャ cha, ジャ ja), the extended katakana of loanwords (ファ fa, ティ ti, ヴ vu), the
//!   small っ doubling the next consonant (`tch` before `ch`), ん as `n` (`n'` before a vowel or `y`), the long
//!   mark ー repeating the vowel before it. Any other character (kanji, Latin, punctuation) passes through;
//!   ・ and the ideographic space become a space.
//! - [`romaji_key`]: the comparable form of a romanised (or kana) name: `Yamada Taro`, `Taro Yamada`,
//!   `YAMADA Tarō`, `Yamada Tarou`, `Yamada Taroh`, `Yamada Tarô` and `ヤマダ タロウ` all give `taro yamada`.
//!   Marks stripped (ō ô → o), long vowels folded (ou, oo, oh before a consonant or at the end → o; uu → u;
//!   aa → a; ee → e; `ii` is kept, as Hepburn writes it: Iida is not Ida), Kunrei-shiki and Nihon-shiki
//!   spellings folded onto Hepburn (si/shi, ti/chi, tu/tsu, hu/fu, zi/ji, di/ji, du/zu, sya/sha, tya/cha,
//!   zya/ja/jya), `m` before b, m, p read as `n` (Homma = Honma), apostrophes and hyphens dropped
//!   (Shin'ichi = Shinichi = Shin-ichi), case ignored, and the words sorted, so family-first and given-first
//!   orders meet. It is a key, not a spelling to show.
//! - [`is_name_of`]: whether an author name (kanji, kana or romaji) is one of the names a record gives for a
//!   person. **Kanji never meets romaji by a guessed reading**: a kanji name has many readings (陽子 is Yoko,
//!   Akiko, Haruko…), so kanji is compared only with the record's kanji variants, and a romanised or kana
//!   name only with its kana and romaji variants. A name with a parenthesised part (a maiden name:
//!   `橋口 陽子 (小野 陽子)`, `Hashiguchi(Ono) Yoko`) stands for each of its names.
//!
//! The script of a string is read from its characters ([`script_of`]), never from a `lang` tag: KAKEN tags
//! romanised names `ja` and English titles `ja`.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The writing system of a name, from its characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Script {
    /// Contains a Han character (kanji), possibly with kana: only a kanji variant can match it.
    Kanji,
    /// Kana (hiragana or katakana) and separators only.
    Kana,
    /// Latin letters (romaji or any romanised name), with marks and punctuation.
    Latin,
    /// None of the above (empty, digits only, another script).
    Other,
}

/// A Han ideograph (CJK Unified Ideographs and extensions, compatibility ideographs, 々 and 〆).
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
        || matches!(c, '々' | '〆' | 'ヶ')
}

/// A hiragana or katakana character (half-width katakana included), or the long mark ー.
pub fn is_kana(c: char) -> bool {
    matches!(c as u32, 0x3041..=0x309F | 0x30A0..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F) && c != '・'
}

/// The script of a string, from its characters: any Han character makes it [`Script::Kanji`]; else any kana
/// makes it [`Script::Kana`]; else any Latin letter makes it [`Script::Latin`].
pub fn script_of(s: &str) -> Script {
    if s.chars().any(is_han) {
        Script::Kanji
    } else if s.chars().any(is_kana) {
        Script::Kana
    } else if s.nfkd().any(|c| c.is_ascii_alphabetic()) {
        Script::Latin
    } else {
        Script::Other
    }
}

/// The Hepburn romaji of one hiragana character (small kana included), or `None` for a character that is not
/// hiragana or is handled by position (っ, ん, ー).
fn hiragana(c: char) -> Option<&'static str> {
    Some(match c {
        'あ' | 'ぁ' => "a",
        'い' | 'ぃ' | 'ゐ' => "i",
        'う' | 'ぅ' => "u",
        'え' | 'ぇ' | 'ゑ' => "e",
        'お' | 'ぉ' | 'を' => "o",
        'か' | 'ゕ' => "ka",
        'き' => "ki",
        'く' => "ku",
        'け' | 'ゖ' => "ke",
        'こ' => "ko",
        'が' => "ga",
        'ぎ' => "gi",
        'ぐ' => "gu",
        'げ' => "ge",
        'ご' => "go",
        'さ' => "sa",
        'し' => "shi",
        'す' => "su",
        'せ' => "se",
        'そ' => "so",
        'ざ' => "za",
        'じ' => "ji",
        'ず' => "zu",
        'ぜ' => "ze",
        'ぞ' => "zo",
        'た' => "ta",
        'ち' => "chi",
        'つ' => "tsu",
        'て' => "te",
        'と' => "to",
        'だ' => "da",
        'ぢ' => "ji",
        'づ' => "zu",
        'で' => "de",
        'ど' => "do",
        'な' => "na",
        'に' => "ni",
        'ぬ' => "nu",
        'ね' => "ne",
        'の' => "no",
        'は' => "ha",
        'ひ' => "hi",
        'ふ' => "fu",
        'へ' => "he",
        'ほ' => "ho",
        'ば' => "ba",
        'び' => "bi",
        'ぶ' => "bu",
        'べ' => "be",
        'ぼ' => "bo",
        'ぱ' => "pa",
        'ぴ' => "pi",
        'ぷ' => "pu",
        'ぺ' => "pe",
        'ぽ' => "po",
        'ま' => "ma",
        'み' => "mi",
        'む' => "mu",
        'め' => "me",
        'も' => "mo",
        'や' | 'ゃ' => "ya",
        'ゆ' | 'ゅ' => "yu",
        'よ' | 'ょ' => "yo",
        'ら' => "ra",
        'り' => "ri",
        'る' => "ru",
        'れ' => "re",
        'ろ' => "ro",
        'わ' | 'ゎ' => "wa",
        'ゔ' => "vu",
        _ => return None,
    })
}

/// Katakana to hiragana (the blocks are parallel); anything else unchanged.
fn to_hiragana(c: char) -> char {
    match c as u32 {
        0x30A1..=0x30F6 => char::from_u32(c as u32 - 0x60).unwrap_or(c),
        _ => c,
    }
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'i' | 'u' | 'e' | 'o')
}

/// Kana (hiragana and katakana, half-width katakana too) to modified Hepburn romaji, lower case; every other
/// character passes through (kanji is never read), ・ and U+3000 become a space. Deterministic.
pub fn kana_to_romaji(s: &str) -> String {
    // NFKC: half-width katakana to full-width, a separate voicing mark composed onto its kana.
    let chars: Vec<char> = s.nfkc().map(to_hiragana).collect();
    let mut out = String::with_capacity(s.len() * 2);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            'っ' => {
                // Doubles the next syllable's consonant (tch before ch); nothing before a vowel or at the end.
                let next = chars.get(i + 1).copied().and_then(hiragana).unwrap_or("");
                if next.starts_with("ch") {
                    out.push('t');
                } else if let Some(f) = next.chars().next().filter(|f| !is_vowel(*f)) {
                    out.push(f);
                }
            }
            'ん' => {
                out.push('n');
                let next = chars.get(i + 1).copied().and_then(hiragana).unwrap_or("");
                if next.starts_with(|f: char| is_vowel(f) || f == 'y') {
                    out.push('\'');
                }
            }
            'ー' => {
                if let Some(v) = out.chars().rev().find(|c| is_vowel(*c)) {
                    out.push(v);
                }
            }
            '・' | '\u{3000}' => out.push(' '),
            _ => match hiragana(c) {
                Some(base) => {
                    let small = chars
                        .get(i + 1)
                        .copied()
                        .filter(|n| matches!(n, 'ゃ' | 'ゅ' | 'ょ' | 'ぁ' | 'ぃ' | 'ぅ' | 'ぇ' | 'ぉ'));
                    match small.and_then(|n| combine(c, base, n)) {
                        Some(syllable) => {
                            out.push_str(&syllable);
                            i += 1;
                        }
                        None => out.push_str(base),
                    }
                }
                None => out.push(c),
            },
        }
        i += 1;
    }
    out
}

/// A kana followed by a small kana as one syllable (きゃ kya, しゃ sha, ふぁ fa, てぃ ti, うぃ wi), or `None`
/// when the pair is not one (the small kana is then read on its own).
fn combine(c: char, base: &str, small: char) -> Option<String> {
    let vowel = hiragana(small)?;
    let consonant = base.trim_end_matches(is_vowel);
    match small {
        'ゃ' | 'ゅ' | 'ょ' => {
            if !base.ends_with('i') || consonant.is_empty() {
                return None;
            }
            // sh, ch, j take the vowel directly; the others add y.
            if consonant.ends_with('h') || consonant == "j" {
                Some(format!("{consonant}{}", &vowel[1..]))
            } else {
                Some(format!("{consonant}{vowel}"))
            }
        }
        _ => {
            let consonant = match c {
                'う' => "w",
                'ゔ' => "v",
                _ if consonant.is_empty() || consonant == "y" => return None,
                _ => consonant,
            };
            Some(format!("{consonant}{vowel}"))
        }
    }
}

/// The comparable key of a romanised or kana name (see the module doc), or `None` when it has a kanji (never
/// read) or no letter. Parenthesised parts are dropped (use [`name_forms`] to keep them as other names).
pub fn romaji_key(name: &str) -> Option<String> {
    let words = romaji_words(name)?;
    let mut words = words;
    words.sort();
    Some(words.join(" "))
}

/// The words of a romanised or kana name, each folded (marks, long vowels, Kunrei spellings), in order.
fn romaji_words(name: &str) -> Option<Vec<String>> {
    if script_of(name) == Script::Kanji {
        return None;
    }
    let without_parens = strip_parenthesised(name);
    let romaji = kana_to_romaji(&without_parens);
    let mut words = Vec::new();
    for word in romaji.split(|c: char| c.is_whitespace() || matches!(c, ',' | '.' | '・' | ';')) {
        let mut letters = String::new();
        for c in word.nfkd() {
            if is_combining_mark(c) {
                continue;
            }
            if c.is_ascii_alphabetic() {
                letters.push(c.to_ascii_lowercase());
            }
        }
        if !letters.is_empty() {
            words.push(fold_romaji_word(&letters));
        }
    }
    (!words.is_empty()).then_some(words)
}

/// One lower-case ASCII word folded onto the key's spelling.
fn fold_romaji_word(w: &str) -> String {
    // Hepburn digraphs to the Kunrei base, then y-glides that Hepburn drops: shi→syi→si, sha→sya, chi→ti,
    // cha→tya, tsu→tu, ji→zi, ja→zya, jya→zya, fu→hu, di→zi, du→zu; tch (small tsu before ch) → tt.
    let mut s = w.replace("tch", "tty").replace("sh", "sy").replace("ch", "ty").replace("ts", "t");
    s = s.replace('j', "zy").replace("zyy", "zy").replace('f', "h");
    s = s.replace("dy", "zy").replace("di", "zi").replace("du", "zu");
    s = s.replace("syi", "si").replace("tyi", "ti").replace("zyi", "zi");
    // m before a labial is the syllabic n (Homma = Honma, Sampei = Sanpei).
    s = s.replace("mb", "nb").replace("mp", "np").replace("mm", "nm");
    // Long vowels: oh before a consonant or at the end, ou, oo, uu, aa, ee → one vowel.
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        out.push(c);
        let next = chars.get(i + 1).copied();
        let after = chars.get(i + 2).copied();
        match (c, next) {
            ('o', Some('u' | 'o')) | ('u', Some('u')) | ('a', Some('a')) | ('e', Some('e')) => i += 1,
            ('o', Some('h')) if after.is_none_or(|a| !is_vowel(a) && a != 'y') => i += 1,
            _ => {}
        }
        i += 1;
    }
    out
}

/// The text without its parenthesised parts (half-width or full-width brackets).
fn strip_parenthesised(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '(' | '（' => {
                depth += 1;
                out.push(' ');
            }
            ')' | '）' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The names a string stands for: itself without its parenthesised part, and the name in the parentheses —
/// a whole name when it has two words (`橋口 陽子 (小野 陽子)` → `小野 陽子`), else the word it follows
/// replaced (`Hashiguchi(Ono) Yoko` → `Ono Yoko`). A string without parentheses is its one name.
pub fn name_forms(s: &str) -> Vec<String> {
    let norm: String = s.replace('（', "(").replace('）', ")");
    let (Some(open), Some(close)) = (norm.find('('), norm.find(')')) else {
        return vec![squash(&norm)];
    };
    if close < open {
        return vec![squash(&strip_parenthesised(&norm))];
    }
    let inner = norm[open + 1..close].trim();
    let before = &norm[..open];
    let after = &norm[close + 1..];
    let mut forms = vec![squash(&format!("{before} {after}"))];
    if !inner.is_empty() {
        if inner.split_whitespace().count() >= 2 || before.trim().is_empty() {
            forms.push(squash(inner));
        } else if after.trim().is_empty()
            && matches!(script_of(before), Script::Kanji | Script::Kana)
            && before.split_whitespace().count() >= 2
        {
            // `畑谷 麻子(三浦)`: at the end of a family-first name, a family name alone is the other family name.
            let given: Vec<&str> = before.split_whitespace().skip(1).collect();
            forms.push(squash(&format!("{inner} {}", given.join(" "))));
        } else {
            let kept = before.trim_end();
            let cut = kept.rfind(char::is_whitespace).map_or(0, |p| p + 1);
            forms.push(squash(&format!("{} {inner} {after}", &kept[..cut])));
        }
    }
    forms.retain(|f| !f.is_empty());
    forms.dedup();
    forms
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The comparable form of a kanji name: NFKC, spaces (and the ideographic space) dropped, and each Han
/// character in one form of its traditional, Japanese and simplified forms ([`crate::text::fold_cjk_variant`]):
/// KAKEN writes one person as `淺井 義之` and `浅井 義之`, `舘野 高` and `館野 高`.
fn kanji_key(s: &str) -> String {
    s.nfkc().filter(|c| !c.is_whitespace() && *c != '・').map(crate::text::fold_cjk_variant).collect()
}

/// Whether two romanised or kana names are the same by their keys: the same words in either order, or one
/// written as a single word that is the other's words joined (`ヤマダタロウ`, `YamadaTaro`).
pub fn same_romaji_name(a: &str, b: &str) -> bool {
    let (Some(wa), Some(wb)) = (romaji_words(a), romaji_words(b)) else { return false };
    let sorted = |w: &[String]| {
        let mut w = w.to_vec();
        w.sort();
        w
    };
    if sorted(&wa) == sorted(&wb) {
        return true;
    }
    let joined = |w: &[String]| -> [String; 2] {
        let mut rev = w.to_vec();
        rev.reverse();
        [fold_romaji_word(&w.concat()), fold_romaji_word(&rev.concat())]
    };
    match (wa.len(), wb.len()) {
        (1, n) if n > 1 => joined(&wb).contains(&wa[0]),
        (n, 1) if n > 1 => joined(&wa).contains(&wb[0]),
        _ => false,
    }
}

/// Whether `candidate` (an author name in kanji, kana or romaji) is one of `variants`, the names a record
/// gives for one person (kanji, kana and romaji, parenthesised maiden names included). Kanji is compared with
/// the kanji variants only (spaces ignored), kana and romaji with the kana and romaji variants by
/// [`same_romaji_name`]: a kanji name never matches a romanised one by a guessed reading.
pub fn is_name_of<S: AsRef<str>>(variants: &[S], candidate: &str) -> bool {
    let candidates = name_forms(candidate);
    let forms: Vec<String> = variants.iter().flat_map(|v| name_forms(v.as_ref())).collect();
    candidates.iter().any(|c| match script_of(c) {
        Script::Kanji => {
            let key = kanji_key(c);
            forms.iter().any(|f| script_of(f) == Script::Kanji && kanji_key(f) == key)
        }
        Script::Kana | Script::Latin => {
            forms.iter().any(|f| matches!(script_of(f), Script::Kana | Script::Latin) && same_romaji_name(f, c))
        }
        Script::Other => false,
    })
}

/// The comparable keys of a name, one set per name form ([`name_forms`]): `k:` + the kanji key for a kanji
/// name; for a kana or romanised name `r:` + the romaji key, and, to meet a name written as one word
/// (`ヤマダタロウ`, `YamadaTaro`), `s:` + the word for a one-word name or `m:` + the words joined (in both
/// orders) for a longer one. Two names are [`same_romaji_name`] exactly when they share an `r:` key or one's
/// `s:` key is the other's `m:` key ([`meeting_key`]); kanji keys meet only kanji keys. Empty for a name
/// with no letter. For indexing authorships by name; [`NameVariants::matches`] decides.
pub fn name_keys(name: &str) -> Vec<String> {
    let mut keys = Vec::new();
    for form in name_forms(name) {
        match script_of(&form) {
            Script::Kanji => {
                let key = kanji_key(&form);
                if !key.is_empty() {
                    keys.push(format!("k:{key}"));
                }
            }
            Script::Kana | Script::Latin => {
                let Some(words) = romaji_words(&form) else { continue };
                let mut sorted = words.clone();
                sorted.sort();
                keys.push(format!("r:{}", sorted.join(" ")));
                if words.len() == 1 {
                    keys.push(format!("s:{}", words[0]));
                } else {
                    let mut rev = words.clone();
                    rev.reverse();
                    keys.push(format!("m:{}", fold_romaji_word(&words.concat())));
                    keys.push(format!("m:{}", fold_romaji_word(&rev.concat())));
                }
            }
            Script::Other => {}
        }
    }
    keys.sort();
    keys.dedup();
    keys
}

/// The key an authorship indexed under [`name_keys`] must carry to meet a record's key: `r:` and `k:` keys
/// meet themselves, a one-word `s:` key meets a longer name's `m:` key and the other way round.
pub fn meeting_key(record_key: &str) -> String {
    if let Some(w) = record_key.strip_prefix("s:") {
        format!("m:{w}")
    } else if let Some(w) = record_key.strip_prefix("m:") {
        format!("s:{w}")
    } else {
        record_key.to_owned()
    }
}

/// The names a record gives for one person (KAKEN's kanji, kana and romaji variants, maiden names), ready to
/// be compared with the author names of works: [`NameVariants::matches`] is [`is_name_of`], and
/// [`NameVariants::lookup_keys`] the [`name_keys`] an authorship of that person can carry (to find
/// candidates in an index before deciding). Kanji meets romaji only through the record's own variants.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NameVariants {
    variants: Vec<String>,
    lookup: Vec<String>,
}

impl NameVariants {
    /// The variants as given (blank ones dropped, duplicates once).
    pub fn new<S: AsRef<str>>(variants: &[S]) -> NameVariants {
        let mut kept: Vec<String> = Vec::new();
        for v in variants {
            let v = v.as_ref().trim();
            if !v.is_empty() && !kept.iter().any(|k| k == v) {
                kept.push(v.to_owned());
            }
        }
        let mut lookup: Vec<String> = kept.iter().flat_map(|v| name_keys(v)).map(|k| meeting_key(&k)).collect();
        lookup.sort();
        lookup.dedup();
        NameVariants { variants: kept, lookup }
    }

    pub fn is_empty(&self) -> bool {
        self.variants.is_empty()
    }

    /// The variants as given.
    pub fn variants(&self) -> &[String] {
        &self.variants
    }

    /// The [`name_keys`] under which an authorship of this person can be indexed (sorted).
    pub fn lookup_keys(&self) -> &[String] {
        &self.lookup
    }

    /// Whether `candidate` (an author name in any script) is one of these names ([`is_name_of`]); a quick
    /// key check first.
    pub fn matches(&self, candidate: &str) -> bool {
        !self.variants.is_empty()
            && name_keys(candidate).iter().any(|k| self.lookup.binary_search(k).is_ok())
            && is_name_of(&self.variants, candidate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kana_to_hepburn() {
        for (kana, romaji) in [
            ("ヤマダ タロウ", "yamada tarou"),
            ("やまだ たろう", "yamada tarou"),
            ("ノムラ タイシン", "nomura taishin"),
            ("シュンスケ", "shunsuke"),
            ("チヒロ", "chihiro"),
            ("ジュンイチ", "jun'ichi"),
            ("シンイチ", "shin'ichi"),
            ("キョウコ", "kyouko"),
            ("リュウ", "ryuu"),
            ("ハットリ", "hattori"),
            ("マッチャ", "matcha"),
            ("ツヨシ", "tsuyoshi"),
            ("フミオ", "fumio"),
            ("ヂ ヅ", "ji zu"),
            ("ファ ティ ヴァ ウィ", "fa ti va wi"),
            ("コーヘイ", "koohei"),
            ("ﾔﾏﾀﾞ ﾀﾛｳ", "yamada tarou"),
            ("ホンマ", "honma"),
            ("山田・タロウ", "山田 tarou"),
        ] {
            assert_eq!(kana_to_romaji(kana), romaji, "{kana}");
        }
    }

    #[test]
    fn one_key_for_the_usual_spellings() {
        let key = romaji_key("Yamada Taro").expect("a romaji name has a key");
        assert_eq!(key, "taro yamada");
        for s in [
            "Taro Yamada",
            "YAMADA Tarō",
            "Yamada Tarou",
            "Yamada Taroh",
            "Yamada Tarô",
            "ヤマダ タロウ",
            "やまだ　たろう",
            "yamada, taro",
        ] {
            assert_eq!(romaji_key(s).as_deref(), Some(key.as_str()), "{s}");
        }
        for (a, b) in [
            ("Shinichi", "Sin'iti"),
            ("Shin-ichi", "Shin'ichi"),
            ("Tsuchiya", "Tutiya"),
            ("Fujita", "Huzita"),
            ("Fujii", "Huzii"),
            ("Shōji", "Syozi"),
            ("Sato Jun", "Satou Zyun"),
            ("Kyoko Ohno", "Ono Kyouko"),
            ("Homma", "Honma"),
            ("Hattori Shunsuke", "Hattori Syunsuke"),
            ("Hashiguchi(Ono) Yoko", "Hashiguchi Yoko"),
            ("ＹＡＭＡＤＡ", "yamada"),
        ] {
            assert_eq!(romaji_key(a), romaji_key(b), "{a} / {b}");
        }
        // Different names stay apart.
        for (a, b) in [("Iida", "Ida"), ("Sato Taro", "Saito Taro"), ("Ohashi", "Oashi"), ("Kato", "Kano")] {
            assert_ne!(romaji_key(a), romaji_key(b), "{a} / {b}");
        }
        assert_eq!(romaji_key("山田 太郎"), None);
        assert_eq!(romaji_key("  "), None);
    }

    #[test]
    fn scripts_from_characters() {
        assert_eq!(script_of("野村 泰伸"), Script::Kanji);
        assert_eq!(script_of("ノムラ タイシン"), Script::Kana);
        assert_eq!(script_of("PAKDAMAN Kha"), Script::Latin);
        assert_eq!(script_of("Tarō"), Script::Latin);
        assert_eq!(script_of("12"), Script::Other);
    }

    #[test]
    fn parenthesised_names() {
        assert_eq!(name_forms("橋口 陽子 (小野 陽子)"), ["橋口 陽子", "小野 陽子"]);
        assert_eq!(name_forms("Hashiguchi(Ono) Yoko"), ["Hashiguchi Yoko", "Ono Yoko"]);
        assert_eq!(name_forms("Hashiguchi (Ono)"), ["Hashiguchi", "Ono"]);
        assert_eq!(name_forms("Yamada Taro"), ["Yamada Taro"]);
        assert_eq!(name_forms("畑谷 麻子(三浦)"), ["畑谷 麻子", "三浦 麻子"]);
        assert_eq!(name_forms("ハタダニ アサコ（ミウラ）"), ["ハタダニ アサコ", "ミウラ アサコ"]);
        assert_eq!(name_forms("a ) b ("), ["a ) b"]);
    }

    #[test]
    fn record_variants_match_through_their_keys() {
        let record = NameVariants::new(&["山田 太郎", "ヤマダ タロウ", "Yamada Taro", " ", "Yamada Taro"]);
        assert_eq!(record.variants().len(), 3);
        for yes in
            ["Taro Yamada", "YAMADA Tarō", "Yamada Tarou", "Yamada Taroh", "山田太郎", "ヤマダタロウ", "YamadaTaro"]
        {
            assert!(record.matches(yes), "{yes}");
            assert_eq!(record.matches(yes), is_name_of(record.variants(), yes), "{yes}");
            // The index finds it: one of its keys is a lookup key of the record.
            assert!(name_keys(yes).iter().any(|k| record.lookup_keys().contains(k)), "{yes}");
        }
        for no in ["山田 花子", "Yamada Hanako", "T. Yamada", "Yamada", ""] {
            assert!(!record.matches(no), "{no}");
        }
        // Kanji-only and romaji-only records never meet the other script.
        assert!(!NameVariants::new(&["山田 太郎"]).matches("Taro Yamada"));
        assert!(!NameVariants::new(&["Taro Yamada"]).matches("山田 太郎"));
        assert!(NameVariants::default().is_empty());
        // Kanji variants of one character (KAKEN: 淺井 / 浅井) are one name.
        assert!(NameVariants::new(&["淺井 義之"]).matches("浅井 義之"));
        assert_eq!(name_keys("  "), Vec::<String>::new());
    }

    #[test]
    fn name_of_a_person_across_scripts() {
        let nomura = ["野村 泰伸", "ノムラ タイシン", "Nomura Taishin", "NOMURA Taishin"];
        for yes in [
            "野村泰伸",
            "野村　泰伸",
            "Taishin Nomura",
            "NOMURA TAISHIN",
            "のむら たいしん",
            "ノムラタイシン",
            "Nomura Taisin",
        ] {
            assert!(is_name_of(&nomura, yes), "{yes}");
        }
        for no in ["野村 泰", "Nomura Taro", "T. Nomura", "", "野村"] {
            assert!(!is_name_of(&nomura, no), "{no}");
        }
        // Kanji never meets romaji by a reading: with no kanji variant, a kanji name does not match.
        assert!(!is_name_of(&["Nomura Taishin", "ノムラ タイシン"], "野村 泰伸"));
        // And a kanji-only record does not match a romanised name.
        assert!(!is_name_of(&["野村 泰伸"], "Nomura Taishin"));
        // Maiden names in parentheses: each name of the person.
        let hashiguchi = ["橋口 陽子 (小野 陽子)", "ハシグチ ヨウコ", "Hashiguchi(Ono) Yoko"];
        for yes in ["小野 陽子", "橋口陽子", "Ono Yoko", "Yoko Hashiguchi", "YOKO ONO"] {
            assert!(is_name_of(&hashiguchi, yes), "{yes}");
        }
        assert!(!is_name_of(&hashiguchi, "Ono Hashiguchi"));
    }
}
