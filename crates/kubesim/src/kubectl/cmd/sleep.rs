//! The console's `sleep N`: simulated time passes (in the browser, at the UI clock's pace),
//! at most [`MAX_BLOCK_MS`] (the parser refuses more, naming the limit).

use crate::kubectl::exec::{Job, Shell, MAX_BLOCK_MS};

impl Shell {
    pub(super) fn sleep(&mut self, millis: u64) {
        let deadline = self.cluster.now().saturating_add(millis.min(MAX_BLOCK_MS));
        self.block(Job::Sleep { deadline });
        if millis == 0 {
            self.pending = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::kubectl::exec::Shell;

    #[test]
    fn sleep_blocks_until_its_simulated_time_has_passed() {
        let mut sh = Shell::default();
        let o = sh.start("sleep 10");
        assert!(o.running);
        assert!(sh.poll(5_000).running);
        assert!(!sh.poll(10_000).running);
        assert_eq!(sh.cluster().now(), 10_000);
        sh.run("sleep 2.5");
        assert_eq!(sh.cluster().now(), 12_500);
    }
}
