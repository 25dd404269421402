package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/sillok/sillok/archive"
)

// Options are how a Server serves.
type Options struct {
	// Addr is the address Open listens on; "" is 127.0.0.1:8080.
	Addr string
	// PublicRead lets anyone who is not signed in read (every GET that a
	// reader may make); writes still need an account.
	PublicRead bool
	// TrustForwardedProto takes X-Forwarded-Proto: https as a request
	// that came over TLS (the session cookie is then Secure). Set it only
	// behind a reverse proxy that sets the header itself.
	TrustForwardedProto bool
	// Logger receives one record per request (user, method, path,
	// status, duration) and the internal errors; nil discards them.
	Logger *slog.Logger
	// SessionTTL is how long a session lasts without use; 0 is 12 hours.
	// Sessions are kept in the archive, on its clock (archive.Options.Now),
	// so that every server sharing the archive knows them; their expiry
	// is written at most every SessionTTL/16 of use.
	SessionTTL time.Duration
	// SignInLimit is how many sign-ins one account may try, and
	// SignInAddressLimit how many one address may, within SignInWindow,
	// before they are refused (429); 0 is 5, 20 and one minute.
	SignInLimit        int
	SignInAddressLimit int
	SignInWindow       time.Duration
	// Poll is how often the event stream looks for new revisions written
	// by others than this server; 0 is one second.
	Poll time.Duration
	// Now is the clock of the rate limits and of a bag's date; nil is
	// time.Now. (Sessions keep the archive's clock.)
	Now func() time.Time
}

// Limits on request bodies.
const (
	// MaxJSONBody is the largest JSON request body.
	MaxJSONBody = 1 << 20
	// MaxClaimsBody is the largest claims file, as on the command line.
	MaxClaimsBody = archive.MaxClaimsFile
)

// Timeouts of the http.Server Open starts. The event stream lifts the
// write timeout for itself.
const (
	ReadHeaderTimeout = 10 * time.Second
	ReadTimeout       = 2 * time.Minute // a 64 MiB claims file on a slow link
	WriteTimeout      = 2 * time.Minute
	IdleTimeout       = 2 * time.Minute
	ShutdownTimeout   = 30 * time.Second
)

// MaxConcurrentSignIns is how many sign-ins check a password at once (each
// argon2id check takes 64 MiB of memory); the others wait their turn.
const MaxConcurrentSignIns = 4

// Server is the review desk over one archive: an http.Handler.
type Server struct {
	// Archive is the archive served.
	Archive *archive.Archive
	// ErrorPage, if set (by the pages), answers an error to a request
	// that asks for HTML (Accept: text/html) outside /api/; nil answers
	// every error as JSON.
	ErrorPage func(w http.ResponseWriter, r *http.Request, status int, msg string)

	opts    Options
	log     *slog.Logger
	mux     *http.ServeMux
	handler http.Handler
	routes  []Route
	limiter *limiter
	feed    *feed
	// hashing bounds the sign-ins checking a password at once: each
	// argon2id check takes 64 MiB.
	hashing chan struct{}

	mu  sync.Mutex
	ln  net.Listener
	srv *http.Server
}

// New builds the server over a, an open archive (the caller closes it
// after the server).
func New(a *archive.Archive, opts Options) *Server {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.SessionTTL == 0 {
		opts.SessionTTL = 12 * time.Hour
	}
	if opts.SignInLimit == 0 {
		opts.SignInLimit = 5
	}
	if opts.SignInAddressLimit == 0 {
		opts.SignInAddressLimit = 20
	}
	if opts.SignInWindow == 0 {
		opts.SignInWindow = time.Minute
	}
	if opts.Poll == 0 {
		opts.Poll = time.Second
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{
		Archive: a,
		opts:    opts,
		log:     log,
		mux:     http.NewServeMux(),
		limiter: newLimiter(opts.Now, opts.SignInWindow),
		hashing: make(chan struct{}, MaxConcurrentSignIns),
	}
	s.feed = newFeed(a, opts.Poll)
	s.routesAPI(s.mux)
	s.pages(s.mux)
	// A browser's write from another origin is refused before anything
	// else: the CSRF token guards the writes of a session, and this the
	// sign-in itself (another site cannot sign a visitor in to an account
	// of its choosing). Programs send neither Sec-Fetch-Site nor Origin.
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.Error(w, r, archive.Errorf(archive.Forbidden, "%w", ErrCrossOrigin))
	}))
	s.handler = s.secure(s.logRequests(cop.Handler(s.authenticate(s.mux))))
	return s
}

// Options returns the options the server was built with (defaults filled
// in).
func (s *Server) Options() Options { return s.opts }

// ServeHTTP serves one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Open listens on Options.Addr and serves in the background: an address
// in use is its error, at once.
func (s *Server) Open() error {
	addr := s.opts.Addr
	if addr == "" {
		addr = "127.0.0.1:8080"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: ReadHeaderTimeout,
		ReadTimeout:       ReadTimeout,
		WriteTimeout:      WriteTimeout,
		IdleTimeout:       IdleTimeout,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	s.mu.Lock()
	s.ln, s.srv = ln, srv
	s.mu.Unlock()
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("serve", "err", err)
		}
	}()
	return nil
}

// URL is the server's address, as http://host:port, once it is open.
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln == nil {
		return ""
	}
	return "http://" + s.ln.Addr().String()
}

// Port is the port the server listens on (0 before Open).
func (s *Server) Port() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln == nil {
		return 0
	}
	return s.ln.Addr().(*net.TCPAddr).Port
}

// Close shuts the server down: it stops listening, ends the event
// streams, and lets the requests under way finish (for up to
// ShutdownTimeout). The archive stays open.
func (s *Server) Close() error {
	s.feed.close()
	s.mu.Lock()
	srv := s.srv
	s.mu.Unlock()
	if srv == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), ShutdownTimeout)
	defer cancel()
	return srv.Shutdown(ctx)
}

// secure sets the headers every response carries: a Content-Security-
// Policy that allows no inline script, and no framing or sniffing.
func (s *Server) secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", ContentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

// ContentSecurityPolicy is the policy of every response: scripts, styles
// and images only from the server itself, no inline script.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

// reqInfo is what the request log learns as a request goes.
type reqInfo struct{ user string }

type reqInfoKey struct{}

// statusWriter records a response's status and size for the log.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection (the event
// stream flushes and lifts its write deadline through it).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		if w.status == 0 {
			w.status = http.StatusOK
		}
		f.Flush()
	}
}

// logRequests logs one record per request: the user, the method, the
// path (never the query, a header or a body: no password, token or
// cookie), the status and the duration.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := &reqInfo{}
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), reqInfoKey{}, info)))
		status := sw.status
		if status == 0 {
			status = http.StatusOK
		}
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("user", info.user),
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", status),
			slog.Duration("duration", time.Since(start)),
			slog.Int64("bytes", sw.bytes),
		)
	})
}

// clientAddr is the address sign-ins are counted by: the peer's IP.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func retryAfter(d time.Duration) string {
	return strconv.Itoa(int(d.Round(time.Second)/time.Second) + 1)
}
