//! The browser entry point: hydrates the interactive parts (islands) of the server-rendered page.

/// Called by the generated JavaScript once the wasm is loaded; each island then hydrates itself.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    app::hydrate_islands();
}
