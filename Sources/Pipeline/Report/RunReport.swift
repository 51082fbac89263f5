import Foundation

/// What a run reports when it ends: a JSON file for programs and one
/// self-contained HTML page for people (inline SVG: loss curves, metric
/// tables, depictions of samples), written side by side and atomically.
public struct RunReport {
    public struct Table {
        public var title: String
        public var rows: [(String, String)]
    }

    public struct Figure {
        public var caption: String
        /// Inline SVG markup.
        public var svg: String
    }

    public var title: String
    public var summary: String
    public var tables: [Table] = []
    public var figures: [Figure] = []
    /// Figures shown in a grid of small tiles (molecule depictions, clouds).
    public var gallery: [Figure] = []
    /// Rows of tiles, each under its title (sets side by side: `rgdm gallery`).
    public var rows: [(title: String, tiles: [Figure])] = []
    /// Machine-readable content of the report.
    public var json: [String: Any] = [:]

    public init(title: String, summary: String) {
        self.title = title
        self.summary = summary
    }

    /// Writes `<base>.json` and `<base>.html`.
    public func write(base: URL) throws {
        try FileManager.default.createDirectory(at: base.deletingLastPathComponent(), withIntermediateDirectories: true)
        var payload = json
        payload["title"] = title
        payload["code_version"] = RGDMVersion.string
        payload["written"] = ISO8601DateFormatter().string(from: Date())
        let data = try JSONSerialization.data(withJSONObject: payload, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: base.appendingPathExtension("json"), options: .atomic)
        try Data(html().utf8).write(to: base.appendingPathExtension("html"), options: .atomic)
    }

    func html() -> String {
        var page = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(HTML.escape(title))</title>
        <style>
        body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1000px; color: #222; }
        h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 1.6em; border-bottom: 1px solid #ddd; }
        table { border-collapse: collapse; margin: 0.5em 0; } td { padding: 2px 14px 2px 0; }
        td:first-child { color: #555; } td:last-child { font-family: ui-monospace, Menlo, monospace; }
        .gallery { display: flex; flex-wrap: wrap; gap: 8px; } .tile { text-align: center; font-size: 0.8em; color: #555; }
        .tile svg { width: 160px; height: 160px; border: 1px solid #eee; }
        </style></head><body>
        <h1>\(HTML.escape(title))</h1>
        <p>\(HTML.escape(summary))</p>
        """
        for table in tables {
            page += "<h2>\(HTML.escape(table.title))</h2><table>"
            for (key, value) in table.rows { page += "<tr><td>\(HTML.escape(key))</td><td>\(HTML.escape(value))</td></tr>" }
            page += "</table>"
        }
        for figure in figures {
            page += "<h2>\(HTML.escape(figure.caption))</h2>\(figure.svg)"
        }
        if !gallery.isEmpty {
            page += "<h2>Samples</h2><div class=\"gallery\">"
            for tile in gallery {
                page += "<div class=\"tile\">\(tile.svg)<br>\(HTML.escape(tile.caption))</div>"
            }
            page += "</div>"
        }
        for row in rows {
            page += "<h2>\(HTML.escape(row.title))</h2><div class=\"gallery\">"
            for tile in row.tiles { page += "<div class=\"tile\">\(tile.svg)<br>\(HTML.escape(tile.caption))</div>" }
            page += "</div>"
        }
        page += "<p style=\"color:#888;font-size:0.8em\">rgdm \(RGDMVersion.string)</p></body></html>\n"
        return page
    }

    /// Strips an XML declaration so an SVG document can be inlined in HTML.
    static func inlineSVG(_ document: String) -> String {
        guard let start = document.range(of: "<svg") else { return document }
        return String(document[start.lowerBound...])
    }
}
