package web

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/sillok/sillok/archive"
)

// SessionCookie is the name of the session cookie.
const SessionCookie = "sillok_session"

// CSRFHeader is the header a cookie-authenticated write carries the
// session's CSRF token in; CSRFField is the form field a page's form
// carries it in instead.
const (
	CSRFHeader = "X-CSRF-Token"
	CSRFField  = "csrf"
)

// User is the signed-in user of a request.
type User struct {
	Name string
	Role archive.Role
	// Session is the session the request came with; nil for a bearer
	// token.
	Session *Session
}

// Can reports whether the user may do what role need may.
func (u *User) Can(need archive.Role) bool { return u != nil && u.Role.Allows(need) }

// Session is a signed-in browser: its id (the cookie's value), its
// account, and the CSRF token its writes must carry. Sessions are kept in
// the archive (archive.Archive.StartSession), so every server sharing the
// archive knows them.
type Session = archive.Session

type userKey struct{}

// UserFrom returns the signed-in user of a request's context, or nil.
func UserFrom(ctx context.Context) *User {
	u, _ := ctx.Value(userKey{}).(*User)
	return u
}

// Access is what a route requires.
type Access int

// The access levels of routes.
const (
	// Anyone: no sign-in (signing in, /healthz, the sign-in page, static
	// assets).
	Anyone Access = iota
	// SignedIn: any account (signing out).
	SignedIn
	// Reader: an account of any role; anyone at all on a GET when the
	// server was started with Options.PublicRead.
	Reader
	// Archivist, FactChecker, Admin: an account of that role or above.
	Archivist
	FactChecker
	Admin
)

func (a Access) String() string {
	return [...]string{"anyone", "signed in", "reader", "archivist", "fact-checker", "admin"}[a]
}

func (a Access) role() archive.Role {
	switch a {
	case Archivist:
		return archive.RoleArchivist
	case FactChecker:
		return archive.RoleFactChecker
	case Admin:
		return archive.RoleAdmin
	}
	return archive.RoleReader
}

// Route is one registered route: its method, its path pattern
// (http.ServeMux's) and what it requires.
type Route struct {
	Method  string
	Pattern string
	Access  Access
}

// Routes lists every route registered, API and pages, in order.
func (s *Server) Routes() []Route { return append([]Route(nil), s.routes...) }

// handle registers h for method and pattern on mux, behind the check of
// access: an anonymous request to a route that needs an account is 401 (a
// page may redirect to the sign-in page instead: ErrorPage sees the
// status), a user without the role 403. Every route is registered through
// it.
func (s *Server) handle(mux *http.ServeMux, method, pattern string, access Access, h http.HandlerFunc) {
	s.routes = append(s.routes, Route{method, pattern, access})
	mux.Handle(method+" "+pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := s.allowed(r, access); err != nil {
			s.Error(w, r, err)
			return
		}
		h(w, r)
	}))
}

// Errors of the access check.
var (
	// ErrSignIn is the error of a request that needs an account and
	// came without one (401).
	ErrSignIn = errors.New("sign in first")
	// ErrCSRF is the error of a write with a session cookie and without
	// its CSRF token (403).
	ErrCSRF = errors.New("the " + CSRFHeader + " header (the csrf of the session) is missing or wrong")
	// ErrCrossOrigin is the error of a browser's write sent from a page
	// of another origin (403).
	ErrCrossOrigin = errors.New("a write from a page of another site is refused (Origin or Sec-Fetch-Site)")
)

// allowed checks the user of r against access.
func (s *Server) allowed(r *http.Request, access Access) error {
	u := UserFrom(r.Context())
	if access == Anyone {
		return nil
	}
	if u == nil {
		if access == Reader && s.opts.PublicRead && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
			return nil
		}
		return statusError(http.StatusUnauthorized, ErrSignIn)
	}
	if access >= Reader && !u.Can(access.role()) {
		return archive.Errorf(archive.Forbidden, "%s is a %s: this needs the role %s or above", u.Name, u.Role, access.role())
	}
	return nil
}

// authenticate puts the request's user, if any, in its context: from an
// "Authorization: Bearer TOKEN" header, else from the session cookie. A
// bearer token that is not one is 401 at once; a stale cookie is ignored
// (and cleared). A write with a session cookie must carry the session's
// CSRF token.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var u *User
		if h := r.Header.Get("Authorization"); h != "" {
			token, ok := strings.CutPrefix(h, "Bearer ")
			if !ok {
				s.Error(w, r, statusError(http.StatusUnauthorized, errors.New("the Authorization header must be Bearer TOKEN")))
				return
			}
			acct, err := s.Archive.TokenUser(strings.TrimSpace(token))
			if err != nil {
				if errors.Is(err, archive.ErrBadCredentials) {
					err = statusError(http.StatusUnauthorized, errors.New("the API token is not valid (or its account is disabled)"))
				}
				s.Error(w, r, err)
				return
			}
			u = &User{Name: acct.Name, Role: acct.Role}
		} else if c, err := r.Cookie(SessionCookie); err == nil {
			sess, err := s.Archive.Session(c.Value, s.opts.SessionTTL)
			switch {
			case errors.Is(err, archive.ErrNoSession):
			case err != nil:
				s.Error(w, r, err)
				return
			default:
				acct, err := s.Archive.User(sess.User)
				if err != nil {
					s.Error(w, r, err)
					return
				}
				if !acct.Disabled {
					u = &User{Name: acct.Name, Role: acct.Role, Session: &sess}
				}
			}
			if u == nil {
				s.clearCookie(w, r)
			}
		}
		if u != nil {
			if info, ok := r.Context().Value(reqInfoKey{}).(*reqInfo); ok {
				info.user = u.Name
			}
			r = r.WithContext(context.WithValue(r.Context(), userKey{}, u))
			if u.Session != nil && !safeMethod(r.Method) && !validCSRF(r, u.Session) {
				s.Error(w, r, archive.Errorf(archive.Forbidden, "%w", ErrCSRF))
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// validCSRF checks the CSRF token of a write, in the header or, for a
// form (which a page without JavaScript posts), in its csrf field.
func validCSRF(r *http.Request, sess *Session) bool {
	got := r.Header.Get(CSRFHeader)
	if got == "" {
		ct := r.Header.Get("Content-Type")
		if strings.HasPrefix(ct, "application/x-www-form-urlencoded") || strings.HasPrefix(ct, "multipart/form-data") {
			r.Body = http.MaxBytesReader(nil, r.Body, MaxClaimsBody)
			got = r.FormValue(CSRFField)
		}
	}
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(sess.CSRF)) == 1
}

// SignIn checks a name and password (rate-limited per account and per
// address), and on success starts a session: it sets the cookie and
// returns the user with the session (its CSRF token). Bad credentials are
// 401, too many attempts 429.
func (s *Server) SignIn(w http.ResponseWriter, r *http.Request, name, password string) (*User, error) {
	addr := clientAddr(r)
	if wait := s.limiter.check("addr:"+addr, s.opts.SignInAddressLimit); wait > 0 {
		return nil, tooMany(wait)
	}
	if wait := s.limiter.check("user:"+name, s.opts.SignInLimit); wait > 0 {
		return nil, tooMany(wait)
	}
	select {
	case s.hashing <- struct{}{}:
	case <-r.Context().Done():
		return nil, r.Context().Err()
	}
	acct, err := s.Archive.SignIn(name, password)
	<-s.hashing
	if err != nil {
		if errors.Is(err, archive.ErrBadCredentials) {
			return nil, statusError(http.StatusUnauthorized, archive.ErrBadCredentials)
		}
		return nil, err
	}
	s.limiter.reset("user:" + name)
	// A browser that signs in again gets a new session; the one it had
	// ends (it is no longer in its cookie, and must not live on).
	if u := UserFrom(r.Context()); u != nil && u.Session != nil {
		if err := s.Archive.EndSession(u.Session.ID); err != nil {
			return nil, err
		}
	}
	sess, err := s.Archive.StartSession(acct.Name, s.opts.SessionTTL)
	if err != nil {
		return nil, err
	}
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: sess.ID, Path: "/",
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.overTLS(r),
		MaxAge: int(s.opts.SessionTTL / time.Second),
	})
	return &User{Name: acct.Name, Role: acct.Role, Session: &sess}, nil
}

// SignOut ends the request's session, if any, on every server sharing the
// archive, and clears the cookie. The error is the archive's, when the
// session could not be ended; the cookie is cleared all the same.
func (s *Server) SignOut(w http.ResponseWriter, r *http.Request) error {
	var err error
	if u := UserFrom(r.Context()); u != nil && u.Session != nil {
		err = s.Archive.EndSession(u.Session.ID)
	}
	s.clearCookie(w, r)
	return err
}

func (s *Server) clearCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.overTLS(r)})
}

// overTLS reports whether the request came over https.
func (s *Server) overTLS(r *http.Request) bool {
	return r.TLS != nil || s.opts.TrustForwardedProto && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

func tooMany(wait time.Duration) error {
	return &httpError{status: http.StatusTooManyRequests, err: errors.New("too many sign-in attempts: wait a minute and try again"), retry: wait}
}

// limiter counts sign-in attempts per key within a window.
type limiter struct {
	now    func() time.Time
	window time.Duration
	mu     sync.Mutex
	m      map[string]*attempts
}

type attempts struct {
	start time.Time
	n     int
}

func newLimiter(now func() time.Time, window time.Duration) *limiter {
	return &limiter{now: now, window: window, m: map[string]*attempts{}}
}

// check counts an attempt under key and returns 0 when it may go on, or
// how long to wait when the key has had limit attempts in the window.
func (l *limiter) check(key string, limit int) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	at := l.m[key]
	if at == nil || now.Sub(at.start) >= l.window {
		if len(l.m) > 100000 { // bounded memory under a flood of names
			for k, x := range l.m {
				if now.Sub(x.start) >= l.window {
					delete(l.m, k)
				}
			}
		}
		at = &attempts{start: now}
		l.m[key] = at
	}
	if at.n >= limit {
		return at.start.Add(l.window).Sub(now)
	}
	at.n++
	return 0
}

func (l *limiter) reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.m, key)
}
