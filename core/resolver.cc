// Copyright 2026 The net Authors. (being written)
