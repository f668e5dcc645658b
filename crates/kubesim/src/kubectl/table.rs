//! The table printer of `kubectl get` (`k8s.io/cli-runtime/pkg/printers/tableprinter.go` at
//! v0.35, the release that ships with kubectl v1.35) and the `kubectl get -w` loop
//! (`k8s.io/kubectl/pkg/cmd/get/get.go: watch`).
//!
//! A [`Table`] holds every column a kind defines (priority 0 and the `-o wide` priority-1
//! ones) and one [`Row`] per object with a cell for each column; [`PrintOptions`] decides which
//! are shown. Header names are upper-cased when printed; rows are separated by tabs and aligned
//! by the [`TabWriter`](super::tabwriter::TabWriter).

use std::collections::BTreeMap;

use super::tabwriter::TabWriter;

/// A column definition (`metav1.TableColumnDefinition`): its name as upstream spells it
/// (`Access Modes`) and its priority (0 = always shown, 1 = only with `-o wide`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub priority: u8,
}

/// Shorthand for a priority-0 column.
pub const fn col(name: &'static str) -> Column {
    Column { name, priority: 0 }
}

/// Shorthand for a priority-1 (`-o wide`) column.
pub const fn wide(name: &'static str) -> Column {
    Column { name, priority: 1 }
}

/// One row: a cell per column plus the object metadata the decorations need.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Row {
    pub cells: Vec<String>,
    /// `metadata.namespace`, for the `-A` NAMESPACE column (empty for cluster-scoped objects).
    pub namespace: String,
    /// `metadata.labels`, for `--show-labels` and `-L`.
    pub labels: BTreeMap<String, String>,
}

/// A server-side table (`metav1.Table`), plus what kubectl knows about its resource type.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    /// The resource as the name printer spells it (`pod`, `statefulset.apps`), used for the
    /// `kind/name` NAME cells when several resource types are printed together.
    pub resource: String,
    /// Cluster-scoped kinds (PV, StorageClass, Node) never get the `-A` NAMESPACE column.
    pub cluster_scoped: bool,
}

/// The `kubectl get` flags that shape a table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PrintOptions {
    /// `-o wide`: include priority-1 columns.
    pub wide: bool,
    /// `-A` / `--all-namespaces`: prepend NAMESPACE.
    pub with_namespace: bool,
    /// `--show-labels`: append LABELS (`k=v,…` sorted, `<none>`).
    pub show_labels: bool,
    /// `-L key,…`: one upper-cased column per key (the part after the last `/`).
    pub column_labels: Vec<String>,
    /// `--no-headers`.
    pub no_headers: bool,
    /// Prefix NAME cells with `<resource>/` (kubectl does when several types are requested,
    /// e.g. `kubectl get sts,pods`; [`render_all`] sets it by itself).
    pub with_kind: bool,
}

/// A watch event type, for `--output-watch-events`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WatchEventType {
    Added,
    Modified,
    Deleted,
}

impl WatchEventType {
    /// The EVENT cell as kubectl formats it: padded to 8 characters (`ADDED   `).
    pub fn cell(self) -> &'static str {
        match self {
            WatchEventType::Added => "ADDED   ",
            WatchEventType::Modified => "MODIFIED",
            WatchEventType::Deleted => "DELETED ",
        }
    }
}

impl Table {
    /// The decorated header names and cell rows that would be printed (after the priority
    /// filter, NAMESPACE, label columns and the optional EVENT column).
    fn decorated(
        &self,
        options: &PrintOptions,
        event: Option<WatchEventType>,
    ) -> (Vec<String>, Vec<Vec<String>>) {
        let visible: Vec<usize> = self
            .columns
            .iter()
            .enumerate()
            .filter(|(_, c)| options.wide || c.priority == 0)
            .map(|(i, _)| i)
            .collect();
        let with_namespace = options.with_namespace && !self.cluster_scoped;
        let name_column = self.columns.iter().position(|c| c.name == "Name");
        let kind_prefix =
            (options.with_kind && !self.resource.is_empty()).then(|| format!("{}/", self.resource));
        let mut header = Vec::new();
        if event.is_some() {
            header.push("EVENT".to_string());
        }
        if with_namespace {
            header.push("NAMESPACE".to_string());
        }
        header.extend(visible.iter().map(|&i| self.columns[i].name.to_uppercase()));
        for key in &options.column_labels {
            header.push(key.rsplit('/').next().unwrap_or(key).to_uppercase());
        }
        if options.show_labels {
            header.push("LABELS".to_string());
        }
        let rows = self
            .rows
            .iter()
            .map(|row| {
                let mut cells = Vec::new();
                if let Some(e) = event {
                    cells.push(e.cell().to_string());
                }
                if with_namespace {
                    cells.push(row.namespace.clone());
                }
                // a row with fewer cells than columns leaves those cells empty
                for &i in &visible {
                    let mut cell = row.cells.get(i).map(|c| sanitize(c)).unwrap_or_default();
                    if let (Some(prefix), Some(n)) = (&kind_prefix, name_column) {
                        if n == i {
                            cell = format!("{prefix}{cell}");
                        }
                    }
                    cells.push(cell);
                }
                for key in &options.column_labels {
                    cells.push(row.labels.get(key).cloned().unwrap_or_default());
                }
                if options.show_labels {
                    cells.push(super::format_labels(Some(&row.labels)));
                }
                cells
            })
            .collect();
        (header, rows)
    }

    /// Writes the table into `w` as `printTable` does: no rows means no output at all (not even
    /// the header); otherwise the header (unless suppressed) and one line per row.
    fn write_to(
        &self,
        w: &mut TabWriter,
        options: &PrintOptions,
        event: Option<WatchEventType>,
        no_headers: bool,
    ) {
        let (header, rows) = self.decorated(options, event);
        if rows.is_empty() {
            return;
        }
        if !no_headers {
            w.write(&header.join("\t"));
            w.write("\n");
        }
        for row in rows {
            w.write(&row.join("\t"));
            w.write("\n");
        }
    }

    /// `kubectl get` output on stdout. Empty when there are no rows; see
    /// [`no_resources_found`] for what kubectl then prints on stderr.
    pub fn render(&self, options: &PrintOptions) -> String {
        let mut w = TabWriter::kubectl_table();
        self.write_to(&mut w, options, None, options.no_headers);
        w.finish()
    }
}

/// `kubectl get` of several resource types (`kubectl get sts,pods,pvc`): one table per type,
/// each aligned on its own (kubectl resets the remembered widths per type), separated by an
/// empty line, NAME cells prefixed with the resource when more than one non-empty type is
/// printed. Tables without rows print nothing.
pub fn render_all(tables: &[Table], options: &PrintOptions) -> String {
    let non_empty: Vec<&Table> = tables.iter().filter(|t| !t.rows.is_empty()).collect();
    let mut kinds: Vec<&str> = non_empty.iter().map(|t| t.resource.as_str()).collect();
    kinds.sort();
    kinds.dedup();
    let mut opts = options.clone();
    opts.with_kind = options.with_kind || kinds.len() > 1;
    let mut out = String::new();
    for t in non_empty {
        let text = t.render(&opts);
        if !out.is_empty() && !opts.no_headers && !text.is_empty() {
            out.push('\n');
        }
        out.push_str(&text);
    }
    out
}

/// A cell as printTable writes it: cut at the first newline, carriage return or form feed,
/// with `...` appended when cut.
fn sanitize(cell: &str) -> String {
    match cell.find(['\n', '\r', '\u{c}']) {
        Some(i) => format!("{}...", &cell[..i]),
        None => cell.to_string(),
    }
}

/// What kubectl prints on stderr when a `get` lists nothing: `No resources found in <ns>
/// namespace.` for a namespaced list, `No resources found` for `-A` or cluster-scoped kinds.
pub fn no_resources_found(namespace: Option<&str>) -> String {
    match namespace {
        Some(ns) => format!("No resources found in {ns} namespace."),
        None => "No resources found".to_string(),
    }
}

/// `kubectl get -w`: one tabwriter that lives for the whole watch, flushed after the initial
/// list and after every event, with remembered widths. Rows printed later are padded to the
/// widths used so far; a wider cell widens its column from then on (and visibly misaligns with
/// the header, as real kubectl does).
#[derive(Clone, Debug)]
pub struct WatchPrinter {
    writer: TabWriter,
    options: PrintOptions,
    columns: Vec<Column>,
    printed_headers: bool,
    output_watch_events: bool,
}

impl WatchPrinter {
    /// `output_watch_events` is `--output-watch-events` (adds the EVENT column).
    pub fn new(options: PrintOptions, output_watch_events: bool) -> Self {
        WatchPrinter {
            writer: TabWriter::kubectl_table(),
            options,
            columns: Vec::new(),
            printed_headers: false,
            output_watch_events,
        }
    }

    /// The initial list (skip it for `--watch-only`). Its rows count as ADDED events for the
    /// EVENT column. Returns the text to append to the terminal.
    pub fn initial(&mut self, table: &Table) -> String {
        let event = self.output_watch_events.then_some(WatchEventType::Added);
        self.print(table, event)
    }

    /// One watch event for one object (`table` normally has a single row: the object's state
    /// at that event; a DELETED event prints the object's last state).
    pub fn event(&mut self, event: WatchEventType, table: &Table) -> String {
        let event = self.output_watch_events.then_some(event);
        self.print(table, event)
    }

    fn print(&mut self, table: &Table, event: Option<WatchEventType>) -> String {
        // HumanReadablePrinter.PrintObj: headers once per column set.
        let mut no_headers = self.options.no_headers;
        if self.printed_headers && table.columns == self.columns {
            no_headers = true;
        }
        if table.columns != self.columns {
            self.columns = table.columns.clone();
            self.printed_headers = false;
        }
        if !table.rows.is_empty() {
            self.printed_headers = true;
        }
        table.write_to(&mut self.writer, &self.options, event, no_headers);
        self.writer.flush();
        self.writer.take_output()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Table {
        Table {
            columns: vec![col("Name"), col("Ready"), col("Age"), wide("IP")],
            rows: vec![
                Row {
                    cells: vec!["web-0".into(), "1/1".into(), "5m".into(), "10.0.0.1".into()],
                    namespace: "default".into(),
                    labels: BTreeMap::from([
                        ("app".to_string(), "nginx".to_string()),
                        ("apps.kubernetes.io/pod-index".to_string(), "0".to_string()),
                    ]),
                },
                Row {
                    cells: vec!["web-10".into(), "0/1".into(), "5s".into(), "<none>".into()],
                    namespace: "default".into(),
                    labels: BTreeMap::new(),
                },
            ],
            resource: "pod".into(),
            cluster_scoped: false,
        }
    }

    #[test]
    fn default_hides_wide_columns() {
        assert_eq!(
            sample().render(&PrintOptions::default()),
            "NAME     READY   AGE\n\
             web-0    1/1     5m\n\
             web-10   0/1     5s\n"
        );
    }

    #[test]
    fn wide_namespace_and_labels() {
        let opts = PrintOptions {
            wide: true,
            with_namespace: true,
            show_labels: true,
            ..Default::default()
        };
        assert_eq!(
            sample().render(&opts),
            "NAMESPACE   NAME     READY   AGE   IP         LABELS\n\
             default     web-0    1/1     5m    10.0.0.1   app=nginx,apps.kubernetes.io/pod-index=0\n\
             default     web-10   0/1     5s    <none>     <none>\n"
        );
    }

    #[test]
    fn label_columns_and_no_headers() {
        let opts = PrintOptions {
            column_labels: vec!["apps.kubernetes.io/pod-index".into()],
            no_headers: true,
            ..Default::default()
        };
        assert_eq!(
            sample().render(&opts),
            "web-0    1/1   5m    0\n\
             web-10   0/1   5s    \n"
        );
    }

    #[test]
    fn empty_table_prints_nothing() {
        let t = Table {
            columns: sample().columns,
            ..Default::default()
        };
        assert_eq!(t.render(&PrintOptions::default()), "");
        assert_eq!(
            no_resources_found(Some("default")),
            "No resources found in default namespace."
        );
        assert_eq!(no_resources_found(None), "No resources found");
    }

    #[test]
    fn multiline_cells_are_cut() {
        let t = Table {
            columns: vec![col("Name"), col("Message")],
            rows: vec![Row {
                cells: vec!["a".into(), "first\nsecond".into()],
                ..Default::default()
            }],
            ..Default::default()
        };
        assert_eq!(
            t.render(&PrintOptions::default()),
            "NAME   MESSAGE\na      first...\n"
        );
    }

    fn one(name: &str, ready: &str, status: &str, age: &str) -> Table {
        Table {
            columns: vec![col("Name"), col("Ready"), col("Status"), col("Age")],
            rows: vec![Row {
                cells: vec![name.into(), ready.into(), status.into(), age.into()],
                ..Default::default()
            }],
            ..Default::default()
        }
    }

    #[test]
    fn watch_rows_remember_widths_and_misalign_on_wider_cells() {
        let mut p = WatchPrinter::new(PrintOptions::default(), false);
        let mut out = p.initial(&one("web-0", "1/1", "Running", "10s"));
        out += &p.event(WatchEventType::Added, &one("web-1", "0/1", "Pending", "0s"));
        out += &p.event(
            WatchEventType::Modified,
            &one("web-1", "0/1", "ContainerCreating", "0s"),
        );
        out += &p.event(
            WatchEventType::Modified,
            &one("web-1", "1/1", "Running", "2s"),
        );
        assert_eq!(
            out,
            "NAME    READY   STATUS    AGE\n\
             web-0   1/1     Running   10s\n\
             web-1   0/1     Pending   0s\n\
             web-1   0/1     ContainerCreating   0s\n\
             web-1   1/1     Running             2s\n"
        );
    }

    #[test]
    fn watch_with_event_column_and_empty_initial_list() {
        let mut p = WatchPrinter::new(PrintOptions::default(), true);
        let empty = Table {
            columns: one("", "", "", "").columns,
            ..Default::default()
        };
        let mut out = p.initial(&empty);
        assert_eq!(out, "");
        out += &p.event(WatchEventType::Added, &one("web-0", "0/1", "Pending", "0s"));
        out += &p.event(
            WatchEventType::Deleted,
            &one("web-0", "0/1", "Terminating", "9s"),
        );
        assert_eq!(
            out,
            "EVENT      NAME    READY   STATUS    AGE\n\
             ADDED      web-0   0/1     Pending   0s\n\
             DELETED    web-0   0/1     Terminating   9s\n"
        );
    }

    #[test]
    fn several_types_get_kind_prefixes_and_blank_lines() {
        let sts = Table {
            columns: vec![col("Name"), col("Ready"), col("Age")],
            rows: vec![Row {
                cells: vec!["web".into(), "2/2".into(), "5m".into()],
                ..Default::default()
            }],
            resource: "statefulset.apps".into(),
            cluster_scoped: false,
        };
        let empty_pvcs = Table {
            columns: vec![col("Name"), col("Status")],
            resource: "persistentvolumeclaim".into(),
            ..Default::default()
        };
        assert_eq!(
            render_all(
                &[sts.clone(), empty_pvcs.clone(), sample()],
                &PrintOptions::default()
            ),
            "NAME                   READY   AGE\n\
             statefulset.apps/web   2/2     5m\n\
             \n\
             NAME         READY   AGE\n\
             pod/web-0    1/1     5m\n\
             pod/web-10   0/1     5s\n"
        );
        // one non-empty type: no prefixes
        assert_eq!(
            render_all(&[sts, empty_pvcs], &PrintOptions::default()),
            "NAME   READY   AGE\nweb    2/2     5m\n"
        );
    }

    #[test]
    fn cluster_scoped_tables_ignore_all_namespaces() {
        let mut t = sample();
        t.cluster_scoped = true;
        let opts = PrintOptions {
            with_namespace: true,
            ..Default::default()
        };
        assert!(t.render(&opts).starts_with("NAME     READY   AGE\n"));
    }
}
