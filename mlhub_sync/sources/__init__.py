"""Where bytes come from. ``base`` defines what every source gives the engine (``RemoteFile``:
a URL to start a GET at, a size, validators and stated digests); one module per protocol:
``mlhub`` (the MLHub API v1) today, blob stores and file lists next."""
