/*
 * The `netconf` SSH subsystem of the simulated routers as a native program:
 * what netconf-subsystem.ts does, without starting Node for every session
 * (about 40 ms of CPU each on the 2-core build machine; a real router's
 * NETCONF subsystem is a native program too). harness.ts compiles it when a
 * C compiler is there and falls back to netconf-subsystem.js otherwise.
 *
 *   netconf-connector SOCKET      (started by sshd: Subsystem netconf …)
 *
 * It tells the simulator daemon which device the client reached (the server
 * port, 4th field of SSH_CONNECTION) and as whom (USER), in the same JSON
 * line as netconf-subsystem.ts, reads the daemon's one-line answer, and
 * then joins stdin/stdout to the daemon's socket until the daemon closes it.
 * When the daemon refuses (the refuse-subsystem fault), it exits 1 at once
 * with the daemon's error on stderr.
 */

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define ANSWER_MAX 8192

static int fail(const char *message) {
  fprintf(stderr, "%s\n", message);
  return 1;
}

/* Writes all of buf; 0 when the peer is gone. */
static int write_all(int fd, const char *buf, size_t len) {
  while (len > 0) {
    ssize_t n = write(fd, buf, len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return 0;
    buf += n;
    len -= (size_t)n;
  }
  return 1;
}

/* The server port: the 4th blank-separated field of SSH_CONNECTION, or -1. */
static long server_port(void) {
  const char *conn = getenv("SSH_CONNECTION");
  if (!conn) return -1;
  char copy[512];
  snprintf(copy, sizeof copy, "%s", conn);
  char *save = NULL;
  char *field = strtok_r(copy, " \t\n", &save);
  for (int i = 0; field && i < 3; i++) field = strtok_r(NULL, " \t\n", &save);
  if (!field) return -1;
  char *end = NULL;
  long port = strtol(field, &end, 10);
  return (*end == '\0' && port > 0 && port <= 65535) ? port : -1;
}

/* `s` as a JSON string (quotes included) into out; 0 when it does not fit. */
static int json_string(const char *s, char *out, size_t size) {
  size_t at = 0;
  if (at + 1 >= size) return 0;
  out[at++] = '"';
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    char esc[8];
    const char *piece = esc;
    if (*p == '"') piece = "\\\"";
    else if (*p == '\\') piece = "\\\\";
    else if (*p < 0x20) snprintf(esc, sizeof esc, "\\u%04x", *p);
    else {
      esc[0] = (char)*p;
      esc[1] = '\0';
    }
    size_t len = strlen(piece);
    if (at + len + 2 > size) return 0;
    memcpy(out + at, piece, len);
    at += len;
  }
  out[at++] = '"';
  out[at] = '\0';
  return 1;
}

/*
 * The daemon's answer is JSON.stringify of {ok: true} or {ok: false, error}
 * (daemon.ts): exactly `{"ok":true}`, or `{"ok":false,"error":"…"}` whose
 * string is decoded here (escapes \" \\ \/ \n \t \r \b \f \uXXXX, the
 * latter as UTF-8). Returns 1 for ok, 0 for a refusal with `error` filled.
 */
static int read_answer(const char *line, char *error, size_t size) {
  if (strcmp(line, "{\"ok\":true}") == 0) return 1;
  const char *unreadable = "netconf-subsystem: unreadable answer from the Junos simulator";
  const char *prefix = "{\"ok\":false,\"error\":\"";
  snprintf(error, size, "%s", unreadable);
  if (strncmp(line, prefix, strlen(prefix)) != 0) {
    if (strcmp(line, "{\"ok\":false}") == 0) snprintf(error, size, "netconf-subsystem: refused");
    return 0;
  }
  size_t at = 0;
  const char *p = line + strlen(prefix);
  for (; *p && *p != '"'; p++) {
    unsigned long c = (unsigned char)*p;
    if (c == '\\') {
      p++;
      switch (*p) {
        case '"': case '\\': case '/': c = (unsigned char)*p; break;
        case 'n': c = '\n'; break;
        case 't': c = '\t'; break;
        case 'r': c = '\r'; break;
        case 'b': c = '\b'; break;
        case 'f': c = '\f'; break;
        case 'u': {
          char hex[5] = {0};
          for (int i = 0; i < 4; i++) {
            if (!p[1 + i]) return 0;
            hex[i] = p[1 + i];
          }
          char *end = NULL;
          c = strtoul(hex, &end, 16);
          if (*end != '\0') return 0;
          p += 4;
          break;
        }
        default: return 0;
      }
    }
    /* Encoded as UTF-8 (a lone surrogate from \u is kept as its 3 bytes). */
    char bytes[4];
    size_t n;
    if (c < 0x80 || (unsigned char)*p >= 0x80) { bytes[0] = (char)c; n = 1; }
    else if (c < 0x800) { bytes[0] = (char)(0xc0 | (c >> 6)); bytes[1] = (char)(0x80 | (c & 0x3f)); n = 2; }
    else { bytes[0] = (char)(0xe0 | (c >> 12)); bytes[1] = (char)(0x80 | ((c >> 6) & 0x3f)); bytes[2] = (char)(0x80 | (c & 0x3f)); n = 3; }
    if (at + n + 1 > size) return 0;
    memcpy(error + at, bytes, n);
    at += n;
  }
  if (*p != '"' || strcmp(p, "\"}") != 0) {
    snprintf(error, size, "%s", unreadable);
    return 0;
  }
  error[at] = '\0';
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2 || argv[1][0] == '\0') return fail("usage: netconf-connector SOCKET");
  const char *socket_path = argv[1];
  /* A client gone mid-write is a write error here, not a signal that kills us silently. */
  signal(SIGPIPE, SIG_IGN);

  long port = server_port();
  if (port < 0) return fail("netconf-subsystem: SSH_CONNECTION does not name the server port (run me as an sshd subsystem)");
  const char *user = getenv("USER");
  if (!user || !*user) user = getenv("LOGNAME");
  if (!user || !*user) user = "root";

  char message[1024];
  int sock = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  if (strlen(socket_path) >= sizeof addr.sun_path) {
    snprintf(message, sizeof message, "netconf-subsystem: cannot reach the Junos simulator at %s: socket path too long", socket_path);
    return fail(message);
  }
  strcpy(addr.sun_path, socket_path);
  if (sock < 0 || connect(sock, (struct sockaddr *)&addr, sizeof addr) != 0) {
    snprintf(message, sizeof message, "netconf-subsystem: cannot reach the Junos simulator at %s: %s", socket_path, strerror(errno));
    return fail(message);
  }

  char quoted_user[600];
  if (!json_string(user, quoted_user, sizeof quoted_user)) return fail("netconf-subsystem: user name too long");
  char hello[700];
  int hello_len = snprintf(hello, sizeof hello, "{\"port\":%ld,\"user\":%s}\n", port, quoted_user);
  if (!write_all(sock, hello, (size_t)hello_len)) return fail("netconf-subsystem: the Junos simulator closed the connection");

  /* The answer line; what follows it in the same read is NETCONF already. */
  char answer[ANSWER_MAX + 1];
  size_t have = 0;
  char *newline = NULL;
  while (!newline) {
    if (have == ANSWER_MAX) return fail("netconf-subsystem: unreadable answer from the Junos simulator");
    ssize_t n = read(sock, answer + have, ANSWER_MAX - have);
    if (n < 0 && errno == EINTR) continue;
    /* Closed before answering: as the Node connector, nothing to say; the session just ends. */
    if (n <= 0) return 0;
    have += (size_t)n;
    newline = memchr(answer, '\n', have);
  }
  *newline = '\0';
  char error[ANSWER_MAX];
  if (!read_answer(answer, error, sizeof error)) return fail(error);
  size_t rest = have - (size_t)(newline + 1 - answer);
  if (rest > 0 && !write_all(STDOUT_FILENO, newline + 1, rest)) return 0;

  /* NETCONF both ways until the daemon closes the session. */
  struct pollfd fds[2] = {{.fd = STDIN_FILENO, .events = POLLIN}, {.fd = sock, .events = POLLIN}};
  char buf[65536];
  for (;;) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return 1;
    }
    if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t n = read(sock, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      /* The daemon closed the session (close-session, a dropped connection, the simulator stopping): so do we. */
      if (n <= 0) return 0;
      if (!write_all(STDOUT_FILENO, buf, (size_t)n)) return 0;
    }
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        /* The client is done sending: end our half; the daemon closes the session and we exit above. */
        shutdown(sock, SHUT_WR);
        fds[0].fd = -1;
        continue;
      }
      if (!write_all(sock, buf, (size_t)n)) return 0;
    }
  }
}
