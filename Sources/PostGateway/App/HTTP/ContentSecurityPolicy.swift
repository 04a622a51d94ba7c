/// The Content-Security-Policy of each kind of answer a browser renders. Even if some text escaped its escaper, a
/// browser would run no script the gateway did not serve as a file, load nothing from elsewhere, and let no other site
/// frame the page.
enum ContentSecurityPolicy {
    /// Staff pages and the public tracking page: the gateway's own scripts and styles, nothing inline.
    static let page = "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    /// Receipts, manifests and reports, printed from the browser. Their styles are inline in templates a province edits,
    /// so `style-src` allows inline style (never script); the one script is the print button's file.
    static let printable =
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; img-src 'self' data:; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    /// A label opened on its own: a drawing, with nothing to run or fetch.
    static let drawing = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
}
