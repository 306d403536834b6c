//! A small `wasi:http` server on the wasmtime crates — what `wasmtime serve` does, for the tests
//! (wasmtime-cli takes ~25 min to build here): HTTP/1.1 on a TCP listener, one fresh instance of
//! the component per request (`ProxyPre`), the guest's environment set from the caller's list, its
//! stderr captured in memory or passed through, outgoing requests sent by wasmtime-wasi-http's
//! default client. The same linking as `wasmtime serve -S cli=y`: all of WASI p2 plus wasi:http.
//! Follows the server example in wasmtime-wasi-http's documentation (`wasmtime_wasi_http::p2`).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use hyper::server::conn::http1;
use tokio::net::TcpListener;
use wasmtime::component::{Component, Linker, ResourceTable};
use wasmtime::{Config, Engine, OptLevel, Store};
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi::{FsPerms, WasiCtx, WasiCtxBuilder, WasiCtxView, WasiView};
use wasmtime_wasi_http::io::TokioIo;
use wasmtime_wasi_http::p2::bindings::http::types::Scheme;
use wasmtime_wasi_http::p2::bindings::ProxyPre;
use wasmtime_wasi_http::p2::body::HyperOutgoingBody;
use wasmtime_wasi_http::{WasiHttpCtx, WasiHttpCtxView, WasiHttpView};

/// Where the guest's stderr goes.
#[derive(Clone)]
pub enum Stderr {
    /// The host's stderr (what `wasmtime serve` does).
    Inherit,
    /// An in-memory buffer shared by every instance (the tests read the audit lines from it).
    Capture(MemoryOutputPipe),
}

/// A compiled component: compiled once, linked per configuration.
pub struct Compiled {
    engine: Engine,
    component: Component,
}

impl Compiled {
    /// Compiles the component at `path`. Cranelift's own optimisations are off, as in the
    /// svidkit component's host: the tests run a debug build of Cranelift, where they cost
    /// more compile time than they save.
    pub fn load(path: &Path) -> wasmtime::Result<Self> {
        let mut config = Config::new();
        config.cranelift_opt_level(OptLevel::None);
        let engine = Engine::new(&config)?;
        let component = Component::from_file(&engine, path)?;
        Ok(Compiled { engine, component })
    }

    /// The names of the component's imports.
    pub fn imports(&self) -> Vec<String> {
        self.component
            .component_type()
            .imports(&self.engine)
            .map(|(name, _)| name.to_string())
            .collect()
    }

    /// The names of the component's exports.
    pub fn exports(&self) -> Vec<String> {
        self.component
            .component_type()
            .exports(&self.engine)
            .map(|(name, _)| name.to_string())
            .collect()
    }

    /// Links the component (all of WASI p2, wasi:http) for serving with this environment, these
    /// read-only preopened directories (host path, guest path) and this stderr.
    pub fn server(
        &self,
        env: Vec<(String, String)>,
        dirs: Vec<(PathBuf, String)>,
        stderr: Stderr,
    ) -> wasmtime::Result<Server> {
        let mut linker = Linker::new(&self.engine);
        wasmtime_wasi::p2::add_to_linker_async(&mut linker)?;
        wasmtime_wasi_http::p2::add_only_http_to_linker_async(&mut linker)?;
        let pre = ProxyPre::new(linker.instantiate_pre(&self.component)?)?;
        Ok(Server {
            pre,
            env,
            dirs,
            stderr,
        })
    }
}

/// Per-request host state.
struct State {
    wasi: WasiCtx,
    http: WasiHttpCtx,
    table: ResourceTable,
}

impl WasiView for State {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl WasiHttpView for State {
    fn http(&mut self) -> WasiHttpCtxView<'_> {
        WasiHttpCtxView {
            ctx: &mut self.http,
            table: &mut self.table,
            hooks: Default::default(),
        }
    }
}

/// A linked component ready to serve requests.
pub struct Server {
    pre: ProxyPre<State>,
    env: Vec<(String, String)>,
    dirs: Vec<(PathBuf, String)>,
    stderr: Stderr,
}

impl Server {
    /// Accepts connections on `listener` until the task is dropped; each connection is served
    /// in its own task, each request by a fresh instance.
    pub async fn serve(self: Arc<Self>, listener: TcpListener) {
        loop {
            let Ok((client, addr)) = listener.accept().await else {
                continue;
            };
            let server = self.clone();
            tokio::task::spawn(async move {
                let service = hyper::service::service_fn(move |req| {
                    let server = server.clone();
                    async move { server.handle(req).await }
                });
                if let Err(e) = http1::Builder::new()
                    .keep_alive(true)
                    .serve_connection(TokioIo::new(client), service)
                    .await
                {
                    eprintln!("gate host: error serving {addr}: {e:?}");
                }
            });
        }
    }

    /// Binds 127.0.0.1 on a free port and serves there in the background.
    pub async fn spawn_local(self: Arc<Self>) -> std::io::Result<SocketAddr> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        tokio::task::spawn(self.serve(listener));
        Ok(addr)
    }

    async fn handle(
        &self,
        req: hyper::Request<hyper::body::Incoming>,
    ) -> wasmtime::Result<hyper::Response<HyperOutgoingBody>> {
        let mut wasi = WasiCtxBuilder::new();
        wasi.envs(&self.env);
        for (host, guest) in &self.dirs {
            wasi.preopened_dir(host, guest, FsPerms::ReadOnly)?;
        }
        match &self.stderr {
            Stderr::Inherit => {
                wasi.inherit_stderr();
            }
            Stderr::Capture(pipe) => {
                wasi.stderr(pipe.clone());
            }
        }
        let mut store = Store::new(
            self.pre.engine(),
            State {
                wasi: wasi.build(),
                http: WasiHttpCtx::new(),
                table: ResourceTable::new(),
            },
        );
        let (sender, receiver) = tokio::sync::oneshot::channel();
        let req = store
            .data_mut()
            .http()
            .new_incoming_request(Scheme::Http, req)?;
        let out = store.data_mut().http().new_response_outparam(sender)?;
        let pre = self.pre.clone();

        // The guest runs in its own task, so it can go on streaming the body after the response
        // head was handed to hyper.
        let task = tokio::task::spawn(async move {
            let proxy = pre.instantiate_async(&mut store).await?;
            proxy
                .wasi_http_incoming_handler()
                .call_handle(store, req, out)
                .await
        });

        match receiver.await {
            Ok(Ok(resp)) => Ok(resp),
            Ok(Err(e)) => Err(e.into()),
            // The guest dropped the outparam without setting it: the task says why.
            Err(_) => {
                let e = match task.await {
                    Ok(Ok(())) => wasmtime::format_err!("the guest never set a response"),
                    Ok(Err(e)) => e,
                    Err(e) => e.into(),
                };
                eprintln!("gate host: guest failed: {e:?}");
                Err(e.context("the guest never set a response"))
            }
        }
    }
}
