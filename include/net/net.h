// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: net.h
// -----------------------------------------------------------------------------
//
// The umbrella header: everything `net` offers. Including it brings in no OS
// header (no <windows.h> macros, no <sys/socket.h>).

#ifndef NET_NET_H_
#define NET_NET_H_

#include "net/activation.h"
#include "net/address.h"
#include "net/connect.h"
#include "net/connection.h"
#include "net/error.h"
#include "net/event_loop.h"
#include "net/listener.h"
#include "net/message.h"
#include "net/resolver.h"
#include "net/socket.h"
#include "net/status_macros.h"
#include "net/server.h"
#include "net/tls.h"
#include "net/version.h"

#endif  // NET_NET_H_
