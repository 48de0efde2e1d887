package core

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strings"
)

// A typed resource is a Go struct with a field for every property of its schema in the API's
// spec, rendered the way Open Zaak renders it (null, "" or [] when unset, never left out). A
// request body stays a Doc until it is validated — what a client sent, and did not send, is
// what the checks look at — and then becomes the typed resource that is stored and answered.
// The checks every kind shares (grants, audit, notifications) read a resource's JSON fields
// as a Doc (DocOf).

// DocOf is a typed resource's JSON fields.
func DocOf(v any) Doc {
	if d, ok := v.(Doc); ok {
		return d
	}
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // a typed resource always has a JSON form
	}
	var d Doc
	if err := json.Unmarshal(b, &d); err != nil {
		panic(err)
	}
	return d
}

// As is a validated request (or any Doc) as a typed resource: the fields T does not have are
// dropped, and its lists are empty rather than null (EmptyLists).
func As[T any](d Doc) (T, error) {
	var v T
	err := Apply(&v, d)
	EmptyLists(&v)
	return v, err
}

// Apply sets the fields of changes on a typed resource; the others keep their value (a PATCH).
// Fits refuses first what JSON would refuse or drop.
func Apply[T any](v *T, changes Doc) error {
	b, err := json.Marshal(asText(jsonFields(reflect.TypeFor[T]()), changes))
	if err != nil {
		return err
	}
	return json.NewDecoder(bytes.NewReader(b)).Decode(v)
}

// Fits refuses, as Open Zaak does, a value of the wrong type for a field of T, and a null for
// a field that cannot be null (applying it would silently keep the old value). A field already
// refused by an earlier check is left to that check's reason.
func Fits[T any](v *Validation, d Doc) {
	fields := jsonFields(reflect.TypeFor[T]())
	for k, x := range asText(fields, d) {
		t, ok := fields[k]
		if !ok || slices.ContainsFunc(v.Params, func(p invalidParam) bool { return p.Name == k }) {
			continue
		}
		if x == nil {
			switch t.Kind() {
			case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
			default:
				v.Add(k, "null", "Dit veld mag niet leeg zijn.")
			}
			continue
		}
		b, err := json.Marshal(x)
		if err == nil {
			err = json.Unmarshal(b, reflect.New(t).Interface())
		}
		if err != nil {
			v.Add(k, "invalid", "Deze waarde past niet bij het veld.")
		}
	}
}

// asText is d with a number sent for a text field as its text: Open Zaak's fields take a
// number where they expect text ("identificatie": 2 is "2"), as Django REST framework does.
func asText(fields map[string]reflect.Type, d Doc) Doc {
	out := make(Doc, len(d))
	for k, x := range d {
		t := fields[k]
		if t != nil && t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if n, isNumber := x.(json.Number); isNumber && t != nil && t.Kind() == reflect.String {
			x = n.String()
		}
		out[k] = x
	}
	return out
}

// jsonFields maps the JSON names of a struct's fields (embedded ones included) to their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for f := range t.Fields() {
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			maps.Copy(out, jsonFields(f.Type))
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out[name] = f.Type
		}
	}
	return out
}

// FoundAs reads the typed resource of the request's {uuid}, answering 404 (or 500) itself.
func FoundAs[T any](s *Server, w http.ResponseWriter, r *http.Request, kind string) (T, bool) {
	v, err := GetAs[T](r.Context(), s.DB, kind, r.PathValue("uuid"))
	if errors.Is(err, ErrNotFound) {
		WriteNotFound(w, r)
		return v, false
	}
	if err != nil {
		WriteError(w, r, err)
		return v, false
	}
	return v, true
}

// RenderPageOf writes a page of typed resources the way Open Zaak does: count, next, previous,
// results.
func RenderPageOf[T any](s *Server, w http.ResponseWriter, r *http.Request, items []T) {
	pg, ok := PageOf(r, len(items), s.Cfg.PageSize)
	if !ok {
		WriteProblem(w, r, http.StatusNotFound, "not_found", "Ongeldige pagina.", "Ongeldige pagina.", nil)
		return
	}
	results := make([]any, 0, pg.To-pg.From)
	for _, d := range items[pg.From:pg.To] {
		results = append(results, absolute(Public(DocOf(d)), Base(r)))
	}
	WriteJSON(w, r, http.StatusOK, map[string]any{"count": len(items), "next": pg.Next, "previous": pg.Previous, "results": results})
}

// RenderListOf writes an unpaginated list of typed resources (a plain JSON array).
func RenderListOf[T any](w http.ResponseWriter, r *http.Request, items []T) {
	out := make([]any, 0, len(items))
	for _, d := range items {
		out = append(out, absolute(Public(DocOf(d)), Base(r)))
	}
	WriteJSON(w, r, http.StatusOK, out)
}

// EmptyLists sets the nil lists of a typed resource, and of the objects in it, to empty ones:
// Open Zaak answers [] for a list it has nothing in, never null.
func EmptyLists[T any](v *T) { emptyLists(reflect.ValueOf(v).Elem()) }

func emptyLists(v reflect.Value) {
	for i := range v.NumField() {
		switch f := v.Field(i); {
		case !f.CanSet():
		case f.Kind() == reflect.Slice && f.IsNil():
			f.Set(reflect.MakeSlice(f.Type(), 0, 0))
		case f.Kind() == reflect.Struct:
			emptyLists(f)
		case f.Kind() == reflect.Pointer && !f.IsNil() && f.Elem().Kind() == reflect.Struct:
			emptyLists(f.Elem())
		}
	}
}

// Shape is a typed resource's check and form, for a handler that serves several kinds.
type Shape struct {
	// Fits refuses what does not fit the resource's fields (Fits).
	Fits func(*Validation, Doc)
	// As is a Doc as the typed resource (As).
	As func(Doc) (any, error)
}

// ShapeOf is the Shape of the typed resource T.
func ShapeOf[T any]() Shape {
	return Shape{Fits: Fits[T], As: func(d Doc) (any, error) { return As[T](d) }}
}

// Register names the typed resource of a kind, so that the handlers every API shares (Found,
// ListBy) read it as that: whole, also when an earlier release stored it with fewer fields.
func (s *Server) Register(kind string, sh Shape) {
	if s.shapes == nil {
		s.shapes = map[string]Shape{}
	}
	s.shapes[kind] = sh
}

// shaped is a stored resource as its kind's typed resource (as stored, for a kind without one).
func (s *Server) shaped(kind string, d Doc) (Doc, error) {
	sh, ok := s.shapes[kind]
	if !ok {
		return d, nil
	}
	v, err := sh.As(d)
	if err != nil {
		return nil, fmt.Errorf("sandbox: the stored %s does not fit its resource: %w", kind, err)
	}
	return DocOf(v), nil
}
