# The native addon: the pty (see src/pty_core.h) on every platform, and on macOS the client of the
# catbridge dext's user client (src/dext_client.cc, dext/PROTOCOL.md). Built by the package's "install"
# script with node-gyp; headers come from the local Node installation (npm's nodedir), never from the
# network. node-addon-api is used as headers only (no gyp dependency), so the build writes nothing
# outside native/build. The Linux build compiles exactly the pty sources, as before.
{
  'targets': [
    {
      'target_name': 'catbridge_native',
      'sources': [
        'src/addon.cc',
        'src/line_settings.cc',
        'src/open_watch.cc',
        'src/pty_core.cc',
      ],
      'include_dirs': ["<!(node -p \"require('node-addon-api').include_dir\")"],
      'defines': ['NAPI_VERSION=8', 'NODE_ADDON_API_DISABLE_CPP_EXCEPTIONS'],
      'cflags_cc': ['-Wall', '-Wextra', '-fno-exceptions'],
      'xcode_settings': {
        'MACOSX_DEPLOYMENT_TARGET': '11.0',
        'GCC_ENABLE_CPP_EXCEPTIONS': 'NO',
        'CLANG_CXX_LIBRARY': 'libc++',
        'OTHER_CPLUSPLUSFLAGS': ['-Wall', '-Wextra'],
      },
      'conditions': [
        ['OS=="mac"', {
          'sources': ['src/dext_client.cc'],
          'defines': ['CATBRIDGE_WITH_DEXT'],
          'include_dirs': ['../dext/core'],
          'link_settings': {
            'libraries': ['-framework IOKit', '-framework CoreFoundation'],
          },
        }],
      ],
    },
  ],
}
