package woo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"
)

// The states of a publicatie.
const (
	StatusConcept      = "concept"
	StatusGepubliceerd = "gepubliceerd"
	StatusIngetrokken  = "ingetrokken"
)

// Kenmerk identifies a publicatie or document in the system it comes from.
type Kenmerk struct {
	Kenmerk string `json:"kenmerk"`
	Bron    string `json:"bron"`
}

// Eigenaar is the person a publicatie or document was registered by.
type Eigenaar struct {
	Identifier   string `json:"identifier"`
	WeergaveNaam string `json:"weergaveNaam"`
}

// Publicatie is a publication as the connector reads it.
type Publicatie struct {
	UUID                  string     `json:"uuid"`
	Publicatiestatus      string     `json:"publicatiestatus"`
	OfficieleTitel        string     `json:"officieleTitel"`
	Omschrijving          string     `json:"omschrijving"`
	Publisher             *string    `json:"publisher"`
	InformatieCategorieen []string   `json:"informatieCategorieen"`
	Kenmerken             []Kenmerk  `json:"kenmerken"`
	Eigenaar              Eigenaar   `json:"eigenaar"`
	URLPublicatieExtern   string     `json:"urlPublicatieExtern"`
	URLPublicatieIntern   string     `json:"urlPublicatieIntern"`
	GepubliceerdOp        *time.Time `json:"gepubliceerdOp"`
	IngetrokkenOp         *time.Time `json:"ingetrokkenOp"`
}

// NewPublicatie is what the connector registers.
type NewPublicatie struct {
	Publicatiestatus      string    `json:"publicatiestatus"`
	OfficieleTitel        string    `json:"officieleTitel"`
	Omschrijving          string    `json:"omschrijving,omitempty"`
	Publisher             string    `json:"publisher,omitempty"`
	Verantwoordelijke     string    `json:"verantwoordelijke,omitempty"`
	InformatieCategorieen []string  `json:"informatieCategorieen,omitempty"`
	Kenmerken             []Kenmerk `json:"kenmerken,omitempty"`
	DatumBeginGeldigheid  string    `json:"datumBeginGeldigheid,omitempty"`
}

// Bestandsdeel is one part of a document's content to upload.
type Bestandsdeel struct {
	UUID       string `json:"uuid"`
	URL        string `json:"url"`
	Volgnummer int    `json:"volgnummer"`
	Omvang     int64  `json:"omvang"`
}

// Document is a document of a publicatie.
type Document struct {
	UUID             string         `json:"uuid"`
	Publicatie       string         `json:"publicatie"`
	OfficieleTitel   string         `json:"officieleTitel"`
	Kenmerken        []Kenmerk      `json:"kenmerken"`
	Bestandsnaam     string         `json:"bestandsnaam"`
	Bestandsformaat  string         `json:"bestandsformaat"`
	Bestandsomvang   int64          `json:"bestandsomvang"`
	Publicatiestatus string         `json:"publicatiestatus"`
	Eigenaar         Eigenaar       `json:"eigenaar"`
	UploadVoltooid   bool           `json:"uploadVoltooid"`
	Bestandsdelen    []Bestandsdeel `json:"bestandsdelen"`
}

// NewDocument is a document the connector registers: with documentUrl and aanleveringBestand
// "ophalen" the publicatiebank fetches the content from the Documenten API itself; with
// "ontvangen" the answer lists the parts to upload.
type NewDocument struct {
	Publicatie         string    `json:"publicatie"`
	OfficieleTitel     string    `json:"officieleTitel"`
	Omschrijving       string    `json:"omschrijving,omitempty"`
	Kenmerken          []Kenmerk `json:"kenmerken,omitempty"`
	Creatiedatum       string    `json:"creatiedatum"`
	Bestandsformaat    string    `json:"bestandsformaat"`
	Bestandsnaam       string    `json:"bestandsnaam"`
	Bestandsomvang     int64     `json:"bestandsomvang"`
	AanleveringBestand string    `json:"aanleveringBestand"`
	DocumentURL        string    `json:"documentUrl,omitempty"`
}

// page is the API's pagination envelope.
type page[T any] struct {
	Count   int     `json:"count"`
	Next    *string `json:"next"`
	Results []T     `json:"results"`
}

func (c *Client) get(ctx context.Context, remarks, u string, out any) error {
	resp, err := c.request(ctx, remarks).Get(u)
	if err := check(resp, err); err != nil {
		return err
	}
	return json.Unmarshal(resp.Body(), out)
}

func (c *Client) send(ctx context.Context, remarks, method, u string, body, out any) error {
	resp, err := c.request(ctx, remarks).SetHeader("Content-Type", "application/json").SetBody(body).Execute(method, u)
	if err := check(resp, err); err != nil {
		return err
	}
	return json.Unmarshal(resp.Body(), out)
}

// all reads every page of a list (at most 100 pages: more is not a list this client asks for).
func all[T any](ctx context.Context, c *Client, remarks, first string) ([]T, error) {
	var out []T
	for next, n := first, 0; next != ""; n++ {
		if n == 100 {
			return nil, fmt.Errorf("woo: %s: more than 100 pages", redact(first))
		}
		var p page[T]
		if err := c.get(ctx, remarks, next, &p); err != nil {
			return nil, err
		}
		out = append(out, p.Results...)
		next = ""
		if p.Next != nil {
			next = *p.Next
		}
	}
	return out, nil
}

// Categorie finds an informatiecategorie by its uuid or (case-insensitively) its name and
// returns its uuid.
func (c *Client) Categorie(ctx context.Context, nameOrUUID string) (string, error) {
	return c.lookup(ctx, "informatiecategorieen", "informatiecategorie", nameOrUUID, false)
}

// Organisatie finds an active organisation by its uuid or name and returns its uuid.
func (c *Client) Organisatie(ctx context.Context, nameOrUUID string) (string, error) {
	return c.lookup(ctx, "organisaties", "actieve organisatie", nameOrUUID, true)
}

func (c *Client) lookup(ctx context.Context, collection, what, nameOrUUID string, active bool) (string, error) {
	type item struct {
		UUID     string `json:"uuid"`
		Naam     string `json:"naam"`
		IsActief *bool  `json:"isActief"`
	}
	usable := func(it item) bool { return !active || it.IsActief == nil || *it.IsActief }
	remarks := "Instellingen van de Meta-bezwaar connector nagaan"
	if _, err := uuid.Parse(nameOrUUID); err == nil {
		var it item
		err := c.get(ctx, remarks, c.url("/"+collection+"/"+nameOrUUID, nil), &it)
		var p *Problem
		if errors.As(err, &p) && p.Status == http.StatusNotFound || err == nil && !usable(it) {
			return "", &NotFoundError{What: what, Name: nameOrUUID}
		}
		return it.UUID, err
	}
	items, err := all[item](ctx, c, remarks, c.url("/"+collection, url.Values{"naam": {nameOrUUID}}))
	if err != nil {
		return "", err
	}
	for _, it := range items {
		if strings.EqualFold(it.Naam, nameOrUUID) && usable(it) {
			return it.UUID, nil
		}
	}
	return "", &NotFoundError{What: what, Name: nameOrUUID}
}

// FindPublicatie looks up the publicatie with a kenmerk from a source; nil when there is none.
func (c *Client) FindPublicatie(ctx context.Context, k Kenmerk) (*Publicatie, error) {
	pubs, err := all[Publicatie](ctx, c, "Publicatie van een collegebesluit opzoeken", c.url("/publicaties", url.Values{"kenmerk": {k.Kenmerk}, "bron": {k.Bron}}))
	if err != nil {
		return nil, err
	}
	for _, p := range pubs {
		for _, pk := range p.Kenmerken {
			if pk == k {
				return &p, nil
			}
		}
	}
	return nil, nil
}

// CreatePublicatie registers a publicatie.
func (c *Client) CreatePublicatie(ctx context.Context, p NewPublicatie) (*Publicatie, error) {
	var out Publicatie
	return &out, c.send(ctx, "Collegebesluit registreren voor publicatie", http.MethodPost, c.url("/publicaties", nil), p, &out)
}

// GetPublicatie reads a publicatie.
func (c *Client) GetPublicatie(ctx context.Context, id string) (*Publicatie, error) {
	var out Publicatie
	return &out, c.get(ctx, "Status van de publicatie nagaan", c.url("/publicaties/"+url.PathEscape(id), nil), &out)
}

// Publish makes a concept publicatie public. The change carries the fields a published
// publicatie requires (the API's schema for it lists them), as they are.
func (c *Client) Publish(ctx context.Context, p *Publicatie) (*Publicatie, error) {
	var out Publicatie
	body := map[string]any{"publicatiestatus": StatusGepubliceerd, "officieleTitel": p.OfficieleTitel,
		"publisher": p.Publisher, "informatieCategorieen": p.InformatieCategorieen}
	return &out, c.send(ctx, "Collegebesluit publiceren", http.MethodPatch, c.url("/publicaties/"+url.PathEscape(p.UUID), nil), body, &out)
}

// Documenten lists the documents of a publicatie.
func (c *Client) Documenten(ctx context.Context, publicatie string) ([]Document, error) {
	return all[Document](ctx, c, "Documenten van de publicatie opzoeken", c.url("/documenten", url.Values{"publicatie": {publicatie}}))
}

// CreateDocument registers a document of a publicatie.
func (c *Client) CreateDocument(ctx context.Context, d NewDocument) (*Document, error) {
	var out Document
	return &out, c.send(ctx, "Besluitdocument toevoegen aan de publicatie", http.MethodPost, c.url("/documenten", nil), d, &out)
}

// GetDocument reads a document.
func (c *Client) GetDocument(ctx context.Context, id string) (*Document, error) {
	var out Document
	return &out, c.get(ctx, "Document van de publicatie nagaan", c.url("/documenten/"+url.PathEscape(id), nil), &out)
}

// DeleteDocument removes a document (one whose upload never completed, before it is made again).
func (c *Client) DeleteDocument(ctx context.Context, id string) error {
	resp, err := c.request(ctx, "Onvolledig geüpload document verwijderen").Delete(c.url("/documenten/"+url.PathEscape(id), nil))
	return check(resp, err)
}

// Upload sends a document's content in the parts its registration listed (multipart/form-data,
// field inhoud); a part is a PUT, so sending one again is harmless until the last completes
// the document.
func (c *Client) Upload(ctx context.Context, d *Document, content []byte) error {
	var off int64
	for _, part := range d.Bestandsdelen {
		if off+part.Omvang > int64(len(content)) {
			return fmt.Errorf("woo: part %d of %s wants %d bytes beyond the content's %d", part.Volgnummer, d.UUID, part.Omvang, len(content))
		}
		resp, err := c.request(ctx, "Inhoud van het besluitdocument uploaden").
			SetMultipartField("inhoud", d.Bestandsnaam, "application/octet-stream", bytes.NewReader(content[off:off+part.Omvang])).
			Put(part.URL)
		if err := check(resp, err); err != nil {
			return err
		}
		off += part.Omvang
	}
	return nil
}

// Download reads a complete document's content (at most limit bytes).
func (c *Client) Download(ctx context.Context, id string, limit int64) ([]byte, error) {
	resp, err := c.request(ctx, "Document van de publicatie ophalen").SetDoNotParseResponse(true).Get(c.url("/documenten/"+url.PathEscape(id)+"/download", nil))
	if err != nil {
		return nil, check(resp, err)
	}
	body := resp.RawBody()
	defer body.Close()
	if resp.StatusCode() >= 400 {
		return nil, &Problem{Status: resp.StatusCode(), Detail: http.StatusText(resp.StatusCode()), Method: http.MethodGet, URL: redact(resp.Request.URL)}
	}
	b, err := io.ReadAll(io.LimitReader(body, limit+1))
	if err == nil && int64(len(b)) > limit {
		err = fmt.Errorf("woo: document %s is larger than %d bytes", id, limit)
	}
	return b, err
}
