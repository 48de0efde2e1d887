package notify

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/wneessen/go-mail"
)

// SMTP sends over an SMTP server: STARTTLS (required), implicit TLS, or none (only on a trusted
// network), with authentication when a user is set.
type SMTP struct {
	Addr     string // host:port
	TLS      string // starttls, tls or none
	User     string
	Password string
	From     string
	To       []string
	Timeout  time.Duration
	// TLSConfig is for tests with their own CA; nil uses the system's roots.
	TLSConfig *tls.Config
}

// Send delivers one message.
func (s *SMTP) Send(ctx context.Context, messageID, subject, body string) error {
	host, portText, err := net.SplitHostPort(s.Addr)
	if err != nil {
		return fmt.Errorf("SMTP_ADDR: %w", err)
	}
	port, err := strconv.Atoi(portText)
	if err != nil {
		return fmt.Errorf("SMTP_ADDR: %w", err)
	}
	opts := []mail.Option{mail.WithPort(port), mail.WithTimeout(s.Timeout)}
	switch s.TLS {
	case "tls":
		opts = append(opts, mail.WithSSL())
	case "none":
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	}
	if s.TLSConfig != nil {
		opts = append(opts, mail.WithTLSConfig(s.TLSConfig))
	}
	if s.User != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover), mail.WithUsername(s.User), mail.WithPassword(s.Password))
	}
	client, err := mail.NewClient(host, opts...)
	if err != nil {
		return err
	}
	msg := mail.NewMsg()
	if err := msg.From(s.From); err != nil {
		return fmt.Errorf("SMTP_FROM: %w", err)
	}
	if err := msg.To(s.To...); err != nil {
		return fmt.Errorf("CONNECTOR_NOTIFY_TO: %w", err)
	}
	msg.SetMessageIDWithValue(messageID)
	msg.SetDate()
	msg.Subject(subject)
	msg.SetBodyString(mail.TypeTextPlain, body)
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		// go-mail's errors name the server and the step, never the password.
		return fmt.Errorf("sending by SMTP via %s: %w", s.Addr, err)
	}
	return nil
}
