// Package dutchtest finds English in what the connector shows people, for tests: the console's
// pages, the dossier's index.html, the notices.
package dutchtest

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"
)

// englishWords are common English words no Dutch sentence of the console uses: one of them in
// what a person reads means a text was left in English.
var englishWords = map[string]bool{"the": true, "and": true, "with": true, "from": true, "this": true, "that": true, "which": true,
	"not": true, "for": true, "has": true, "have": true, "been": true, "were": true, "are": true, "accepted": true,
	"received": true, "registered": true, "filed": true, "closed": true, "failed": true, "error": true, "invalid": true,
	"required": true, "missing": true, "none": true, "case": true, "should": true, "must": true}

var wordRE = regexp.MustCompile(`[A-Za-z]+`)

// InHTML lists the English words a person reads on a page: its text outside what is marked
// as another language (lang="en"), code, the letter and a mail's own text.
func InHTML(page string) []string {
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		return []string{"unparsable page: " + err.Error()}
	}
	var found []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "style", "code", "pre", "textarea":
				return
			}
			for _, a := range n.Attr {
				if a.Key == "lang" && a.Val != "nl" {
					return
				}
			}
		}
		if n.Type == html.TextNode {
			for _, w := range wordRE.FindAllString(n.Data, -1) {
				if englishWords[strings.ToLower(w)] {
					found = append(found, w+" in "+strings.TrimSpace(n.Data))
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return found
}

// InText lists the English words in a plain text (a notice), leaving out the lines indented by
// four spaces: what a notice quotes (the connector's own English, a letter).
func InText(text string) []string {
	var found []string
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, "    ") {
			continue
		}
		for _, w := range wordRE.FindAllString(line, -1) {
			if englishWords[strings.ToLower(w)] {
				found = append(found, w+" in "+strings.TrimSpace(line))
			}
		}
	}
	return found
}
