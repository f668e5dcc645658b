//! Port of Go's `text/tabwriter` as vendored by kubectl (`github.com/liggitt/tabwriter`, which
//! adds the `RememberWidths` flag), restricted to what kubectl uses: left alignment, a space pad
//! character, no escapes or HTML filtering.
//!
//! Text is made of cells terminated by `\t` (or `\v`); a newline ends a line. A *column* is a
//! block of consecutive lines that all have a tab-terminated cell at that index; its width is
//! `max(minwidth, widest cell + padding)`. The last cell of a line is never padded. A line
//! without any tab ends every open column block (and, as in Go, flushes the buffered text).
//!
//! kubectl's table printer uses `minwidth 6, tabwidth 4, padding 3, RememberWidths`
//! ([`TabWriter::kubectl_table`]); `describe` and `rollout history` use
//! `minwidth 0, tabwidth 8, padding 2` ([`TabWriter::kubectl_describe`]).
//! With `RememberWidths`, the widths used by earlier flushes are kept per column index and a
//! later flush pads to at least those widths (growing them when a wider cell shows up) — the
//! reason `kubectl get -w` rows stay aligned with the header until a wider cell arrives.

#[derive(Clone, Copy, Debug, Default)]
struct Cell {
    size: usize,  // bytes in buf
    width: usize, // chars
    htab: bool,
}

/// A Go `tabwriter.Writer` that writes into an internal `String`.
#[derive(Clone, Debug)]
pub struct TabWriter {
    minwidth: usize,
    padding: usize,
    remember_widths: bool,
    buf: String,
    cell: Cell,
    lines: Vec<Vec<Cell>>,
    widths: Vec<usize>,
    maxwidths: Vec<usize>,
    out: String,
}

impl TabWriter {
    /// A writer with Go's `Init(output, minwidth, _, padding, ' ', flags)`.
    pub fn new(minwidth: usize, padding: usize, remember_widths: bool) -> Self {
        let mut w = TabWriter {
            minwidth,
            padding,
            remember_widths,
            buf: String::new(),
            cell: Cell::default(),
            lines: Vec::new(),
            widths: Vec::new(),
            maxwidths: Vec::new(),
            out: String::new(),
        };
        w.reset();
        w
    }

    /// `printers.GetNewTabWriter`: minwidth 6, padding 3, RememberWidths.
    pub fn kubectl_table() -> Self {
        TabWriter::new(6, 3, true)
    }

    /// `describe.tabbedString` / `polymorphichelpers.tabbedString`: minwidth 0, padding 2.
    pub fn kubectl_describe() -> Self {
        TabWriter::new(0, 2, false)
    }

    /// Column widths remembered so far (liggitt's `RememberedWidths`).
    pub fn remembered_widths(&self) -> &[usize] {
        &self.maxwidths
    }

    fn reset(&mut self) {
        self.buf.clear();
        self.cell = Cell::default();
        self.lines.clear();
        self.widths.clear();
        self.lines.push(Vec::new());
    }

    fn terminate_cell(&mut self, htab: bool) -> usize {
        self.cell.htab = htab;
        let cell = std::mem::take(&mut self.cell);
        let line = self.lines.last_mut().expect("reset keeps one line");
        line.push(cell);
        line.len()
    }

    /// Buffers `text`; complete column blocks may already be formatted into the output.
    pub fn write(&mut self, text: &str) {
        for ch in text.chars() {
            match ch {
                '\t' | '\u{b}' | '\n' | '\u{c}' => {
                    let ncells = self.terminate_cell(ch == '\t');
                    if ch == '\n' || ch == '\u{c}' {
                        self.lines.push(Vec::new());
                        if ch == '\u{c}' || ncells == 1 {
                            self.flush_internal();
                        }
                    }
                }
                _ => {
                    self.buf.push(ch);
                    self.cell.size += ch.len_utf8();
                    self.cell.width += 1;
                }
            }
        }
    }

    /// Formats everything buffered into the output (Go's `Flush`).
    pub fn flush(&mut self) {
        self.flush_internal();
    }

    /// Takes what has been output so far.
    pub fn take_output(&mut self) -> String {
        std::mem::take(&mut self.out)
    }

    /// Flushes and returns all output (for one-shot use).
    pub fn finish(mut self) -> String {
        self.flush();
        self.out
    }

    fn flush_internal(&mut self) {
        if self.cell.size > 0 {
            self.terminate_cell(false);
        }
        let n = self.lines.len();
        self.format(0, 0, n);
        self.reset();
    }

    fn write_padding(&mut self, textw: usize, cellw: usize) {
        for _ in textw..cellw {
            self.out.push(' ');
        }
    }

    fn write_lines(&mut self, pos0: usize, line0: usize, line1: usize) -> usize {
        let mut pos = pos0;
        for i in line0..line1 {
            for j in 0..self.lines[i].len() {
                let c = self.lines[i][j];
                if c.size > 0 {
                    let text = &self.buf[pos..pos + c.size];
                    self.out.push_str(text);
                    pos += c.size;
                }
                if j < self.widths.len() {
                    let w = self.widths[j];
                    self.write_padding(c.width, w);
                }
            }
            if i + 1 == self.lines.len() {
                // the last, incomplete line: its pending cell text
                let end = (pos + self.cell.size).min(self.buf.len());
                let text = self.buf[pos..end].to_string();
                self.out.push_str(&text);
                pos = end;
            } else {
                self.out.push('\n');
            }
        }
        pos
    }

    fn format(&mut self, pos0: usize, line0: usize, line1: usize) -> usize {
        let mut pos = pos0;
        let mut line0 = line0;
        let column = self.widths.len();
        let mut this = line0;
        while this < line1 {
            if column as isize >= self.lines[this].len() as isize - 1 {
                this += 1;
                continue;
            }
            // cell exists in this column => this line has more cells than the previous line
            // print unprinted lines until beginning of block
            pos = self.write_lines(pos, line0, this);
            line0 = this;

            // column block begin
            let mut width = self.minwidth;
            while this < line1 {
                let line = &self.lines[this];
                if column as isize >= line.len() as isize - 1 {
                    break;
                }
                let w = line[column].width + self.padding;
                if w > width {
                    width = w;
                }
                this += 1;
            }
            // column block end

            if self.remember_widths {
                if self.maxwidths.len() < self.widths.len() {
                    let from = self.maxwidths.len();
                    let extra: Vec<usize> = self.widths[from..].to_vec();
                    self.maxwidths.extend(extra);
                }
                let k = self.widths.len();
                if self.maxwidths.len() == k {
                    self.maxwidths.push(width);
                } else if self.maxwidths[k] > width {
                    width = self.maxwidths[k];
                } else if self.maxwidths[k] < width {
                    self.maxwidths[k] = width;
                }
            }

            self.widths.push(width);
            pos = self.format(pos, line0, this);
            self.widths.pop();
            line0 = this;
            this += 1;
        }
        self.write_lines(pos, line0, line1)
    }
}

/// Runs `text` through a fresh writer with kubectl's describe settings.
pub fn tabbed_string(text: &str) -> String {
    let mut w = TabWriter::kubectl_describe();
    w.write(text);
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_columns_to_widest_cell_plus_padding() {
        let mut w = TabWriter::kubectl_table();
        w.write("NAME\tREADY\tAGE\nweb-0\t1/1\t5s\n");
        assert_eq!(
            w.finish(),
            "NAME    READY   AGE\n\
             web-0   1/1     5s\n"
        );
    }

    #[test]
    fn minwidth_applies_to_narrow_columns() {
        let mut w = TabWriter::kubectl_table();
        w.write("A\tB\nx\ty\n");
        assert_eq!(w.finish(), "A     B\nx     y\n");
    }

    #[test]
    fn lines_without_tabs_break_column_blocks() {
        let out =
            tabbed_string("Name:\tweb\nNamespace:\tdefault\nPod Template:\n  Labels:\tapp=web\n");
        assert_eq!(
            out,
            "Name:       web\nNamespace:  default\nPod Template:\n  Labels:  app=web\n"
        );
    }

    #[test]
    fn nested_blocks_follow_go_semantics() {
        // Column 1 only exists on the middle two lines, so only they share its width.
        let out = tabbed_string("a\tb\nccc\tdd\te\nf\tgggg\th\ni\tj\n");
        assert_eq!(out, "a    b\nccc  dd    e\nf    gggg  h\ni    j\n");
    }

    #[test]
    fn remember_widths_across_flushes() {
        let mut w = TabWriter::kubectl_table();
        w.write("NAME\tSTATUS\tAGE\nweb-0\tPending\t0s\n");
        w.flush();
        // narrower cells are padded to the remembered widths
        w.write("web-0\tRunning\t1s\n");
        w.flush();
        // a wider cell widens that column for this and later flushes
        w.write("web-0\tContainerCreating\t1s\n");
        w.flush();
        w.write("web-0\tRunning\t2s\n");
        w.flush();
        assert_eq!(
            w.take_output(),
            "NAME    STATUS    AGE\n\
             web-0   Pending   0s\n\
             web-0   Running   1s\n\
             web-0   ContainerCreating   1s\n\
             web-0   Running             2s\n"
        );
        assert_eq!(w.remembered_widths(), &[8, 20]);
    }

    #[test]
    fn unicode_width_is_counted_in_chars() {
        let mut w = TabWriter::kubectl_table();
        w.write("ééééé\tx\nab\ty\n");
        assert_eq!(w.finish(), "ééééé   x\nab      y\n");
    }

    #[test]
    fn trailing_text_without_newline_is_kept() {
        let mut w = TabWriter::kubectl_describe();
        w.write("a\tb\nc");
        assert_eq!(w.finish(), "a  b\nc");
    }
}
