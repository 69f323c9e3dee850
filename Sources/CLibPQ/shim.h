// libpq, PostgreSQL's C client library (Debian: libpq-dev; Homebrew: libpq). Debian installs the
// header under /usr/include/postgresql, which pkg-config's libpq.pc adds to the search path.
#if __has_include(<libpq-fe.h>)
#include <libpq-fe.h>
#else
#include <postgresql/libpq-fe.h>
#endif
