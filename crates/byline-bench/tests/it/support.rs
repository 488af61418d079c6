//! Test support: the shared real-data folder, and what the entities tests load from it.

use std::path::{Path, PathBuf};

use byline_model::Work;
use byline_parse::{Event, read_path};

use byline_entities::lists::{ScreeningList, load_aspi_misp_json, load_opensanctions_csv};
use byline_entities::ror::{InstitutionMatcher, RorRegistry};

/// The shared real-data folder (see `byline_testdata::shared_data`).
pub use byline_testdata::shared_data;

/// `entities/` inside the shared data, when present.
pub fn entities_dir() -> Option<PathBuf> {
    shared_data().map(|d| d.join("entities"))
}

/// The ROR matcher over `entities/ror_records_v2.json.gz` (as byline-entities' tests build it).
pub fn matcher() -> Option<InstitutionMatcher> {
    let path = entities_dir()?.join("ror_records_v2.json.gz");
    let registry = RorRegistry::load(&path).expect("ROR records load");
    Some(InstitutionMatcher::new(registry))
}

/// The ASPI China Defence Universities Tracker (MISP JSON) of the shared data.
pub fn aspi(dir: &Path) -> ScreeningList {
    let path = dir.join("aspi_china_defence_universities_misp.json");
    let f = std::fs::File::open(&path).expect("ASPI JSON opens");
    load_aspi_misp_json(f, &path.display().to_string(), None).expect("ASPI JSON parses")
}

/// The METI End User List's Russian entries (OpenSanctions CSV) of the shared data.
pub fn meti_russia(dir: &Path) -> ScreeningList {
    let path = dir.join("jp_meti_russia_list_opensanctions.csv");
    let f = std::fs::File::open(&path).expect("METI Russia CSV opens");
    load_opensanctions_csv(f, &path.display().to_string(), None).expect("METI Russia CSV parses")
}

/// All works of one file (tests only).
pub fn read_works(path: &Path) -> Vec<Work> {
    let mut works = Vec::new();
    read_path(path, None, &mut |e| {
        if let Event::Work(w) = e {
            works.push(*w);
        }
    });
    works
}
