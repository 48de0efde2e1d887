package rsin

import "testing"

func TestValid(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"002220647", true},  // the RSIN used in the VNG reference examples
		{"517439943", true},  // 5·9+1·8+7·7+4·6+3·5+9·4+9·3+4·2 = 212, 212−3 = 209 = 19·11
		{"002220648", false}, // last digit off by one
		{"00222064", false},  // eight digits
		{"0022206470", false},
		{"00222064a", false},
		{"", false},
		{"000000000", true}, // passes arithmetically, as in the standard's own validators
	} {
		if got := Valid(tc.in); got != tc.want {
			t.Errorf("Valid(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
