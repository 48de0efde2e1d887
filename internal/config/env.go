package config

import (
	"bufio"
	"fmt"
	"os"
	"reflect"
	"strings"
)

// ReadFile reads a KEY=VALUE file (comments with #, optional quotes) for --config.
func ReadFile(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(strings.TrimPrefix(line, "export "), "=")
		if !ok {
			return nil, fmt.Errorf("%s:%d: not KEY=VALUE", path, n)
		}
		v = strings.TrimSpace(v)
		if len(v) >= 2 && (v[0] == '"' && v[len(v)-1] == '"' || v[0] == '\'' && v[len(v)-1] == '\'') {
			v = v[1 : len(v)-1]
		}
		out[strings.TrimSpace(k)] = v
	}
	return out, sc.Err()
}

// ApplyFile sets the variables of a --config file that the environment does not set: the
// environment wins, so that an operator can override one value of a shared file.
func ApplyFile(values map[string]string) error {
	for k, v := range values {
		if _, set := os.LookupEnv(k); !set {
			if err := os.Setenv(k, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// Variables lists every variable the configuration reads, with its default and description, in
// the order of the struct.
func Variables() []Variable {
	var out []Variable
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for i := range t.NumField() {
			f := t.Field(i)
			name := f.Tag.Get("envconfig")
			if name == "" && f.Type.Kind() == reflect.Struct {
				walk(f.Type)
				continue
			}
			out = append(out, Variable{Name: name, Default: f.Tag.Get("default"), Description: f.Tag.Get("desc")})
		}
	}
	walk(reflect.TypeOf(Config{}))
	return out
}

// Variable describes one environment variable.
type Variable struct{ Name, Default, Description string }
