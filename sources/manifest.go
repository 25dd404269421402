package sources

import "github.com/sillok/sillok/events"

// ManifestEntry is one source of a manifest (a sources.yaml): the file that
// holds its text, relative to the manifest, and its metadata as written
// there. The bundled demo corpus and the generator (sillok gen) write and
// read manifests of this form, a YAML list of entries in load order.
type ManifestEntry struct {
	File          string `yaml:"file"`
	ID            string `yaml:"id"`
	Title         string `yaml:"title,omitempty"`
	URL           string `yaml:"url,omitempty"`
	Publisher     string `yaml:"publisher,omitempty"`
	Lang          string `yaml:"lang,omitempty"`
	Published     string `yaml:"published,omitempty"`
	Retrieved     string `yaml:"retrieved,omitempty"`
	TranslationOf string `yaml:"translation-of,omitempty"`
	Translator    string `yaml:"translator,omitempty"`
}

// Meta returns the metadata the entry gives its source, for Add.
func (m ManifestEntry) Meta() Meta {
	return Meta{
		ID: events.SourceID(m.ID), Title: m.Title, URL: m.URL, Publisher: m.Publisher,
		Lang: m.Lang, Published: m.Published, Retrieved: m.Retrieved,
		TranslationOf: events.SourceID(m.TranslationOf), Translator: m.Translator,
	}
}
