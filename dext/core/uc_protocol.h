/*
 * The user-client protocol between the catbridge dext and the Node addon (native/src/dext_client.cc).
 * dext/PROTOCOL.md describes every call; this header is the single definition both sides compile.
 *
 * Plain C, fixed-size little-endian structs, <stdint.h> only. Changing a struct or a selector's meaning
 * bumps CATBRIDGE_UC_PROTOCOL_MAJOR; adding a selector or a flag bumps the minor.
 */
#ifndef CATBRIDGE_DEXT_UC_PROTOCOL_H
#define CATBRIDGE_DEXT_UC_PROTOCOL_H

#include <stdint.h>

#define CATBRIDGE_UC_PROTOCOL_MAJOR 2u
#define CATBRIDGE_UC_PROTOCOL_MINOR 0u

/* The IORegistry name the addon matches (the root service's IOUserClass). */
#define CATBRIDGE_DEXT_SERVICE_NAME "CatbridgeDriver"
/* Every port's IOTTYBaseName: the device is /dev/cu.catbridge-<suffix>. */
#define CATBRIDGE_TTY_BASE_NAME "catbridge-"

#define CATBRIDGE_UC_MAX_PORTS 16u
/* The most bytes one Read or Write moves (inline structure arguments stay under 4 KiB). */
#define CATBRIDGE_UC_MAX_IO 4096u
/* A suffix is 1..31 of [A-Za-z0-9._-], NUL-terminated in 32 bytes. */
#define CATBRIDGE_UC_SUFFIX_BYTES 32u

/* External method selectors. */
enum catbridge_uc_selector {
  CATBRIDGE_UC_GET_INFO = 0,        /* out scalars: major, minor, maxPorts, maxIo */
  CATBRIDGE_UC_CREATE_PORT = 1,     /* in struct catbridge_uc_create_port; out scalars: portId, registry entry ID */
  CATBRIDGE_UC_DESTROY_PORT = 2,    /* in scalar: portId */
  CATBRIDGE_UC_READ = 3,            /* in scalars: portId, max; out scalar: n; out struct: n bytes (TX ring → Node) */
  CATBRIDGE_UC_WRITE = 4,           /* in scalar: portId; in struct: bytes; out scalar: accepted */
  CATBRIDGE_UC_SET_MODEM_LINES = 5, /* in scalars: portId, value, mask (CATBRIDGE_MODEM_*) */
  CATBRIDGE_UC_GET_PORT_STATE = 6,  /* in scalar: portId; out struct catbridge_uc_port_state */
  CATBRIDGE_UC_ARM_EVENTS = 7,      /* async: completion args [sequence] */
  CATBRIDGE_UC_FETCH_EVENTS = 8,    /* out scalar: n; out struct: catbridge_uc_port_events[n] */
  CATBRIDGE_UC_SELECTOR_COUNT = 9
};

/* Event bits, per port, level-triggered and coalesced until FetchEvents takes them. */
#define CATBRIDGE_EV_TX_DATA (1u << 0)       /* the app wrote: Read until it returns 0 */
#define CATBRIDGE_EV_RX_SPACE (1u << 1)      /* the app read after a short Write: write the rest */
#define CATBRIDGE_EV_MCR (1u << 2)           /* DTR/RTS changed (HwProgramMCR) */
#define CATBRIDGE_EV_LINE (1u << 3)          /* baud / data bits / stop bits / parity changed */
#define CATBRIDGE_EV_FLOW (1u << 4)          /* flow control changed */
#define CATBRIDGE_EV_OPEN (1u << 5)          /* an app opened the tty (HwActivate) */
#define CATBRIDGE_EV_CLOSE (1u << 6)         /* the app closed it (HwDeactivate) */
#define CATBRIDGE_EV_BREAK (1u << 7)         /* break on/off */
#define CATBRIDGE_EV_FIFO_RESET_TX (1u << 8) /* the kernel discarded queued TX (tcflush) */
#define CATBRIDGE_EV_FIFO_RESET_RX (1u << 9) /* drop Node's RX backlog (tcflush) */
#define CATBRIDGE_EV_CORRUPT (1u << 10)      /* an impossible ring index was resynchronised */
#define CATBRIDGE_EV_ALL (0x7ffu)

/* Modem input lines (Node → app), for SetModemLines and catbridge_uc_port_state.modem. */
#define CATBRIDGE_MODEM_CTS (1u << 0)
#define CATBRIDGE_MODEM_DSR (1u << 1)
#define CATBRIDGE_MODEM_RI (1u << 2)
#define CATBRIDGE_MODEM_DCD (1u << 3)
#define CATBRIDGE_MODEM_ALL (0xfu)

/* Modem output lines (app → Node), catbridge_uc_port_state.mcr. */
#define CATBRIDGE_MCR_DTR (1u << 0)
#define CATBRIDGE_MCR_RTS (1u << 1)

/* catbridge_uc_port_state.flags */
#define CATBRIDGE_STATE_CONNECTED (1u << 0) /* queues connected and validated (ConnectQueues) */
#define CATBRIDGE_STATE_ACTIVE (1u << 1)    /* an app holds the tty open (HwActivate) */
#define CATBRIDGE_STATE_HOST (1u << 2)      /* a Node client owns the port */

/* Parity, as HwProgramUART reports it (the PD_RS232_PARITY_* values). */
#define CATBRIDGE_PARITY_NONE 1u
#define CATBRIDGE_PARITY_ODD 2u
#define CATBRIDGE_PARITY_EVEN 3u

typedef struct catbridge_uc_create_port {
  char suffix[CATBRIDGE_UC_SUFFIX_BYTES]; /* NUL-terminated */
  uint32_t flags;                         /* reserved, 0 */
} catbridge_uc_create_port;

typedef struct catbridge_uc_port_events {
  uint32_t portId;
  uint32_t bits; /* CATBRIDGE_EV_* */
} catbridge_uc_port_events;

typedef struct catbridge_uc_port_state {
  uint32_t flags; /* CATBRIDGE_STATE_* */
  uint32_t baud;
  uint8_t dataBits;
  uint8_t halfStopBits; /* 2 = 1 stop bit, 3 = 1.5, 4 = 2 */
  uint8_t parity;       /* CATBRIDGE_PARITY_* */
  uint8_t mcr;          /* CATBRIDGE_MCR_* */
  uint8_t modem;        /* CATBRIDGE_MODEM_*, as reported to the app */
  uint8_t breakOn;
  uint8_t xon;
  uint8_t xoff;
  uint32_t flowArg;   /* HwProgramFlowControl's undocumented bit mask, as received */
  uint32_t latencyUs; /* HwProgramLatencyTimer, stored only */
  uint32_t txUsed;    /* bytes the app wrote that Node has not read */
  uint32_t rxFree;    /* room for Node's bytes */
  uint32_t txSize;
  uint32_t rxSize;
  uint32_t openCount;
  uint32_t corruptCount;
  uint32_t rxBlockedCount; /* Writes that could not place every byte */
  uint32_t reserved;
  uint64_t txBytes; /* app → Node, total */
  uint64_t rxBytes; /* Node → app, total */
} catbridge_uc_port_state;

#ifdef __cplusplus
static_assert(sizeof(catbridge_uc_create_port) == 36, "catbridge_uc_create_port layout");
static_assert(sizeof(catbridge_uc_port_events) == 8, "catbridge_uc_port_events layout");
static_assert(sizeof(catbridge_uc_port_state) == 72, "catbridge_uc_port_state layout");
static_assert(alignof(catbridge_uc_port_state) == 8, "catbridge_uc_port_state alignment");
#else
_Static_assert(sizeof(catbridge_uc_create_port) == 36, "catbridge_uc_create_port layout");
_Static_assert(sizeof(catbridge_uc_port_events) == 8, "catbridge_uc_port_events layout");
_Static_assert(sizeof(catbridge_uc_port_state) == 72, "catbridge_uc_port_state layout");
#endif

#endif /* CATBRIDGE_DEXT_UC_PROTOCOL_H */
