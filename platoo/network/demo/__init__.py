"""The demo network: a fictional Thai KM network written for Platoo, loaded by `manage.py load_demo`.

Sign in as `admin` / `platoo-demo` (superuser) or `demo` / `platoo-demo` (นิภา ทองดี, a member);
every demo person's password is `platoo-demo`. `manage.py load_demo --reset` rebuilds the network.
"""
