//! Progress on stderr, shown only when stderr is a terminal (quiet in pipes and CI).

#[cfg(not(target_arch = "wasm32"))]
use std::time::Duration;

#[cfg(not(target_arch = "wasm32"))]
use indicatif::{ProgressBar, ProgressStyle};

/// Runs `work` under a spinner saying `message` (with the elapsed time) when stderr is a
/// terminal; the spinner is cleared when the work ends. Otherwise just runs `work`.
pub fn with_spinner<T>(message: String, work: impl FnOnce() -> T) -> T {
    if !super::host::stderr_is_terminal() {
        return work();
    }
    #[cfg(target_arch = "wasm32")]
    {
        let _ = message;
        unreachable!("the Node CLI's stderr is never a terminal")
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let spinner = ProgressBar::new_spinner();
        let style = ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
        spinner.set_style(style);
        spinner.set_message(message);
        spinner.enable_steady_tick(Duration::from_millis(100));
        let result = work();
        spinner.finish_and_clear();
        result
    }
}
