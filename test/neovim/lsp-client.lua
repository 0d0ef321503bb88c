-- A second, independent LSP client: headless Neovim 0.7 starts the DataFlow language server over
-- stdio, attaches it to a Python buffer and writes the diagnostics it publishes to a JSON file.
-- Environment: DF_SERVER (path to dist/server.js), DF_FILE (the .py file), DF_ROOT (workspace),
-- DF_OUT (where to write the result), DF_TIMEOUT_MS.
local server = os.getenv('DF_SERVER')
local file = os.getenv('DF_FILE')
local root = os.getenv('DF_ROOT')
local out = os.getenv('DF_OUT')
local timeout = tonumber(os.getenv('DF_TIMEOUT_MS') or '30000')

local function finish(result)
  local f = io.open(out, 'w')
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd('qall!')
end

local received = nil
local last_change = 0
local client_id = vim.lsp.start_client({
  name = 'dataflow',
  cmd = { 'node', server, '--stdio' },
  root_dir = root,
  workspace_folders = { { uri = vim.uri_from_fname(root), name = 'ws' } },
  handlers = {
    ['textDocument/publishDiagnostics'] = function(_, params)
      if params and params.uri == vim.uri_from_fname(file) and #params.diagnostics > 0 then
        received = params.diagnostics
        last_change = vim.loop.now()
      end
    end,
  },
})
if not client_id then finish({ error = 'start_client failed' }) return end

vim.cmd('edit ' .. vim.fn.fnameescape(file))
vim.lsp.buf_attach_client(0, client_id)

-- The first publish may come before the workspace scan has read models.py: wait until the
-- diagnostics have been stable for 1.5 s.
local ok = vim.wait(timeout, function() return received ~= nil and vim.loop.now() - last_change > 1500 end, 50)
local client = vim.lsp.get_client_by_id(client_id)
local name = client and client.server_capabilities and client.server_capabilities.textDocumentSync and 'ok' or 'none'
if not ok then finish({ error = 'no diagnostics within ' .. timeout .. ' ms', sync = name }) return end
local list = {}
for _, d in ipairs(received) do
  table.insert(list, { code = d.code, source = d.source, line = d.range.start.line, character = d.range.start.character, message = d.message })
end
if client then client.stop() end
finish({ diagnostics = list, sync = name })
