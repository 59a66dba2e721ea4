//! The built browser assets by name, and which pages need them.
//!
//! `scripts/build-site.sh` names every asset after its content (`continuum.3f2a…9c.css`), so a browser may
//! keep it for a year and a new build is fetched at once; it lists the names in `pkg/assets.json`, which the
//! server reads at start. Pages that nothing on them reacts to ship the HTML and CSS alone.

use serde::Deserialize;

/// File name of the list of built assets, in the site's `pkg/` folder.
pub const MANIFEST: &str = "assets.json";

/// Characters of the content hash in a built asset's name.
pub const HASH_CHARS: usize = 16;

/// Names of the built assets under `/pkg/`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct SiteAssets {
    /// Stem of the hydration script and its wasm: `{app}.js` and `{app}_bg.wasm`.
    pub app: String,
    /// The stylesheet's file name.
    pub stylesheet: String,
    /// The site icon's file name (SVG).
    pub icon: String,
    /// The home-screen icon's file name (PNG, 180 px square).
    pub touch_icon: String,
}

impl SiteAssets {
    /// The names before fingerprinting, for a site folder built without a manifest (or not built at all).
    pub fn unfingerprinted() -> Self {
        Self {
            app: "continuum".into(),
            stylesheet: "continuum.css".into(),
            icon: "favicon.svg".into(),
            touch_icon: "icon-180.png".into(),
        }
    }

    /// URL path of the stylesheet.
    pub fn stylesheet_href(&self) -> String {
        format!("/pkg/{}", self.stylesheet)
    }

    /// URL path of the site icon.
    pub fn icon_href(&self) -> String {
        format!("/pkg/{}", self.icon)
    }

    /// URL path of the home-screen icon.
    pub fn touch_icon_href(&self) -> String {
        format!("/pkg/{}", self.touch_icon)
    }

    /// URL path of the script that loads the wasm and exports each island's hydration function.
    pub fn script_href(&self) -> String {
        format!("/pkg/{}.js", self.app)
    }

    /// URL path of the islands' wasm.
    pub fn wasm_href(&self) -> String {
        format!("/pkg/{}_bg.wasm", self.app)
    }
}

/// Why the list of built assets could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    /// The file exists but is not the list the build writes.
    #[error("{MANIFEST} in the site folder is not a list of built assets: {0}")]
    Malformed(String),
    /// A listed name is not a plain file name under `pkg/`.
    #[error("{MANIFEST} names {0:?}, which is not a file name in the site folder")]
    BadName(String),
}

/// Reads the list of built assets (`pkg/assets.json`); `Ok(None)` when the site folder has none.
pub fn read_manifest(pkg_dir: &std::path::Path) -> Result<Option<SiteAssets>, ManifestError> {
    let text = match std::fs::read_to_string(pkg_dir.join(MANIFEST)) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(ManifestError::Malformed(e.to_string())),
    };
    parse_manifest(&text).map(Some)
}

/// Parses the list of built assets, refusing names that could point outside `pkg/`.
pub fn parse_manifest(text: &str) -> Result<SiteAssets, ManifestError> {
    let assets: SiteAssets = serde_json::from_str(text).map_err(|e| ManifestError::Malformed(e.to_string()))?;
    for name in [&assets.app, &assets.stylesheet, &assets.icon, &assets.touch_icon] {
        let plain = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
        if !plain || name.starts_with('.') {
            return Err(ManifestError::BadName(name.clone()));
        }
    }
    Ok(assets)
}

/// True when a file name under `/pkg/` carries its content hash (`name.<16 hex>.ext` or
/// `name.<16 hex>_bg.wasm`), so its bytes never change and a browser may keep it for good.
pub fn is_fingerprinted(file_name: &str) -> bool {
    file_name.split('.').any(|part| {
        let hash = part.strip_suffix("_bg").unwrap_or(part);
        hash.len() == HASH_CHARS && hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// Paths of the pages that nothing reacts to: their forms are plain posts and their figures are read once,
/// so they ship no wasm and no script at all. Every other page is hydrated (live updates, instant saves).
pub const PAGES_WITHOUT_WASM: &[&str] = &[
    "/sign-in",
    "/welcome/",
    "/account",
    "/public",
    "/holds",
    "/admin/taxonomy",
    "/my-capacity/bulk",
    "/my-capacity/site/",
];

/// True when the page at `path` ships no wasm (see [`PAGES_WITHOUT_WASM`]).
pub fn ships_no_wasm(path: &str) -> bool {
    PAGES_WITHOUT_WASM.iter().any(|page| match page.strip_suffix('/') {
        Some(prefix) => path.strip_prefix(prefix).is_some_and(|rest| rest.len() > 1 && rest.starts_with('/')),
        None => path == *page || path.strip_prefix(page) == Some("/"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_hashed_names_are_told_from_plain_ones() {
        assert!(is_fingerprinted("continuum.0123456789abcdef.js"));
        assert!(is_fingerprinted("continuum.0123456789abcdef_bg.wasm"));
        assert!(is_fingerprinted("continuum.0123456789abcdef.css.br"));
        assert!(!is_fingerprinted("continuum.css"));
        assert!(!is_fingerprinted("continuum_bg.wasm"));
        assert!(!is_fingerprinted("favicon.svg"));
        assert!(!is_fingerprinted("continuum.0123456789ABCDEF.js"), "the build writes lowercase hex");
        assert!(!is_fingerprinted("continuum.0123456789abcde.js"), "one character short");
    }

    #[test]
    fn the_manifest_names_plain_files_only() {
        let good = r#"{"app":"continuum.0123456789abcdef","stylesheet":"continuum.0123456789abcdef.css","icon":"favicon.0123456789abcdef.svg","touch_icon":"icon-180.0123456789abcdef.png"}"#;
        let assets = parse_manifest(good).unwrap();
        assert_eq!(assets.stylesheet_href(), "/pkg/continuum.0123456789abcdef.css");
        assert_eq!(assets.icon_href(), "/pkg/favicon.0123456789abcdef.svg");
        assert_eq!(assets.touch_icon_href(), "/pkg/icon-180.0123456789abcdef.png");
        let escaping = good.replace("icon-180.0123456789abcdef.png", "/etc/passwd");
        assert!(matches!(parse_manifest(&escaping), Err(ManifestError::BadName(n)) if n == "/etc/passwd"));
        let escaping = good.replace("favicon.0123456789abcdef.svg", "../secret");
        assert!(matches!(parse_manifest(&escaping), Err(ManifestError::BadName(n)) if n == "../secret"));
        let quoting = good.replace("continuum.0123456789abcdef.css", "a\\\" onload=\\\"x");
        assert!(matches!(parse_manifest(&quoting), Err(ManifestError::BadName(_))));
        assert!(matches!(parse_manifest("{}"), Err(ManifestError::Malformed(_))));
    }

    #[test]
    fn static_pages_are_matched_by_path_not_by_prefix() {
        assert!(ships_no_wasm("/sign-in"));
        assert!(ships_no_wasm("/welcome/abc"));
        assert!(ships_no_wasm("/my-capacity/site/4"));
        assert!(!ships_no_wasm("/welcome/"), "no token: not the welcome page");
        assert!(!ships_no_wasm("/my-capacity"));
        assert!(!ships_no_wasm("/holdsx"));
        assert!(!ships_no_wasm("/search"));
        assert!(!ships_no_wasm("/"));
    }
}
